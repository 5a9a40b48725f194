import Link from "next/link";
import { ActionForm, SubmitButton } from "@/app/_ui/form";
import { confirmEmailChangeSchema, findEmailChange } from "@/lib/auth/email-change";
import { confirmEmailChangeAction } from "../actions";

export const metadata = { title: "Confirm your new email address" };

type SearchParams = Promise<{ token?: string | string[] }>;

/**
 * Where the link emailed to a new address lands (`?token=`). It changes nothing by
 * itself (mail scanners open links): the button does (confirmEmailChange).
 */
export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const parsed = confirmEmailChangeSchema.safeParse({ token });
  const change = parsed.success ? await findEmailChange(parsed.data.token) : null;
  return (
    <>
      <h1 className="text-2xl font-semibold">Confirm your new email address</h1>
      {change && parsed.success ? (
        <>
          <p className="mt-1 text-sm text-stone-600">
            Sign in as <strong>{change.to}</strong> from now on, instead of {change.from}.
          </p>
          <ActionForm action={confirmEmailChangeAction} className="mt-6 space-y-4">
            <input type="hidden" name="token" value={parsed.data.token} />
            <SubmitButton>Use this address</SubmitButton>
          </ActionForm>
        </>
      ) : (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          This link has expired, was already used, or is incomplete. Ask for a new one on your account page.
        </p>
      )}
      <p className="mt-6 text-sm text-stone-600">
        <Link href="/dashboard/account" className="font-medium text-brand-700 underline">
          Your account
        </Link>
      </p>
    </>
  );
}
