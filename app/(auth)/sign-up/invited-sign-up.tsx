import Link from "next/link";
import { ActionForm, SubmitButton } from "@/app/_ui/form";
import { authPathForInvitation } from "@/lib/team/invitation-token";
import type { FoundInvitation } from "@/lib/team/join";
import { AccountFields } from "../account-fields";
import { signUpInvitedAction } from "../actions";

/** Sign-up from an invitation: an account for the invited email, and no clinic of its own. */
export function InvitedSignUp({ token, found }: { token: string; found: FoundInvitation }) {
  return (
    <>
      <h1 className="text-2xl font-semibold">Join {found.clinic.name}</h1>
      <p className="mt-1 text-sm text-stone-600">
        Create your account, then accept the invitation to join as {found.invitation.role}.
      </p>
      <ActionForm action={signUpInvitedAction} className="mt-6 space-y-4">
        <input type="hidden" name="token" value={token} />
        <AccountFields email={found.invitation.email} emailHint="The address the invitation was sent to" />
        <SubmitButton>Create account</SubmitButton>
      </ActionForm>
      <p className="mt-6 text-sm text-stone-600">
        Already have an account?{" "}
        <Link href={authPathForInvitation("/sign-in", token)} className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
