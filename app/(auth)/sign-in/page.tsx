import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { EMAIL_MAX } from "@/lib/clinic/form-fields";
import { homePathFor } from "@/lib/auth/onboarding";
import { getUser } from "@/lib/auth/session";
import { authPathForInvitation, invitationPathOrNull } from "@/lib/team/invitation-token";
import { CurrentPasswordField } from "../account-fields";
import { signInAction } from "../actions";

export const metadata = { title: "Sign in" };

type SearchParams = Promise<{ invite?: string | string[]; reset?: string | string[] }>;

/**
 * `?invite=<token>`: signing in on the way to an invitation, which opens next.
 * `?reset=done`: back from choosing a new password.
 */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const { invite, reset } = await searchParams;
  const invitation = invitationPathOrNull(invite);
  const user = await getUser();
  if (user) redirect(invitation ?? (await homePathFor(user)));
  return (
    <>
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-stone-600">
        {invitation ? "Sign in to accept your invitation." : "Manage your clinic's appointments."}
      </p>
      {reset === "done" ? (
        <p role="status" className="mt-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">
          Your password is changed. Sign in with the new one.
        </p>
      ) : null}
      <ActionForm action={signInAction} className="mt-6 space-y-4">
        {invitation ? <input type="hidden" name="invite" value={String(invite)} /> : null}
        <Field name="email" label="Email" type="email" autoComplete="email" maxLength={EMAIL_MAX} required />
        <CurrentPasswordField />
        <SubmitButton>Sign in</SubmitButton>
      </ActionForm>
      <p className="mt-4 text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-700 underline">
          Forgot your password?
        </Link>
      </p>
      <p className="mt-6 text-sm text-stone-600">
        New here?{" "}
        {invitation ? (
          <Link
            href={authPathForInvitation("/sign-up", String(invite))}
            className="font-medium text-brand-700 underline"
          >
            Create your account
          </Link>
        ) : (
          <Link href="/sign-up" className="font-medium text-brand-700 underline">
            Create your clinic
          </Link>
        )}
      </p>
    </>
  );
}
