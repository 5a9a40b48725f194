import Link from "next/link";
import { isEmailVerified } from "@/lib/auth/email-ownership";
import { getUser } from "@/lib/auth/session";

export const metadata = { title: "Confirm your email address" };

type SearchParams = Promise<{ account?: string | string[]; error?: string | string[] }>;

const SEND_AGAIN = "sign in and use “Send the link again” at the top of your dashboard.";

/** better-auth's codes for a link it would not take, in words. */
const LINK_ERRORS: Record<string, string> = {
  TOKEN_EXPIRED: `This link has expired. For a new one, ${SEND_AGAIN}`,
  INVALID_TOKEN: `This link is incomplete or damaged: open it from the email again, or for a new one, ${SEND_AGAIN}`,
  USER_NOT_FOUND: "The account this link was for no longer exists.",
};
const UNKNOWN_ERROR = `This link could not be used. For a new one, ${SEND_AGAIN}`;

/**
 * Where a confirmation link lands after better-auth's /api/auth/verify-email
 * (lib/auth/email-verification.ts): `?account=` names whose link it was, and `?error=`
 * is there when the link was refused. The confirmation itself is read from the database,
 * so this page cannot be made to say an address is confirmed when it is not.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const { account, error } = await searchParams;
  const user = await getUser();
  const onward = user ? (
    <Link href="/dashboard" className="font-medium text-brand-700 underline">
      Open your dashboard
    </Link>
  ) : (
    <Link href="/sign-in" className="font-medium text-brand-700 underline">
      Sign in
    </Link>
  );
  const confirmed = typeof error !== "string" && typeof account === "string" && (await isEmailVerified(account));
  return (
    <>
      <h1 className="text-2xl font-semibold">Confirm your email address</h1>
      {confirmed ? (
        <p role="status" className="mt-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">
          Your email address is confirmed. Monthly billing summaries and notices of cancelled or moved appointments will
          reach it.
        </p>
      ) : (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {typeof error === "string"
            ? (LINK_ERRORS[error] ?? UNKNOWN_ERROR)
            : "This page needs the link from your confirmation email; open it from the email again."}
        </p>
      )}
      <p className="mt-6 text-sm text-stone-600">{onward}</p>
    </>
  );
}
