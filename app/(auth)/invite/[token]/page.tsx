import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm, SubmitButton } from "@/app/_ui/form";
import { buttonVariants } from "@/components/ui/button";
import { CREATE_CLINIC_PATH } from "@/lib/auth/onboarding";
import { getUser } from "@/lib/auth/session";
import { formatClinicDateTime } from "@/lib/format/clinic-time";
import { ROLE_SUMMARY } from "@/lib/team/roles";
import { DEAD_INVITATION_MESSAGES } from "@/lib/team/errors";
import { authPathForInvitation } from "@/lib/team/invitation-token";
import { findInvitationByToken, isInvitee } from "@/lib/team/join";
import { acceptInvitationAction, signOutAction } from "../../actions";

export const metadata: Metadata = { title: "Invitation", robots: { index: false } };

type Props = { params: Promise<{ token: string }> };

/**
 * Where an invitation email's link lands: the clinic and role, then the one step that
 * fits. Signed out: sign in or create an account, both coming back here. Signed in with
 * the invited email: Accept. With another email: it says so and changes nothing.
 */
export default async function InvitationPage({ params }: Props) {
  const { token } = await params;
  const [found, user] = await Promise.all([findInvitationByToken(token), getUser()]);
  if (!found) {
    return (
      <>
        <h1 className="text-2xl font-semibold">Invitation not found</h1>
        <p role="alert" className="mt-2 text-sm text-stone-600">
          {DEAD_INVITATION_MESSAGES.invalid}
        </p>
      </>
    );
  }
  const { invitation, clinic, inviterName, state } = found;
  const clock = { timeZone: clinic.timeZone, locale: clinic.locale };
  const expiry = formatClinicDateTime(invitation.expiresAt, clock);
  return (
    <>
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{clinic.name}</p>
      <h1 className="mt-2 text-2xl font-semibold">Join {clinic.name}</h1>
      <p className="mt-2 text-sm text-stone-600">
        {inviterName ?? "The clinic"} invited {invitation.email} to join as{" "}
        <strong className="font-medium text-stone-900">{invitation.role}</strong>: you will be able to{" "}
        {ROLE_SUMMARY[invitation.role === "admin" ? "admin" : "staff"]}.
      </p>
      {state === "expired" ? (
        <p role="alert" className="mt-6 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          This invitation expired on {expiry}. Ask the clinic for a new one.
        </p>
      ) : state !== "pending" ? (
        <p role="alert" className="mt-6 rounded-md bg-stone-100 px-3 py-2 text-sm text-stone-700">
          {DEAD_INVITATION_MESSAGES[state]}
          {state === "accepted" && user && isInvitee(user, invitation) ? (
            <>
              {" "}
              <Link href="/dashboard" className="font-medium text-brand-700 underline">
                Open the dashboard
              </Link>
            </>
          ) : null}
        </p>
      ) : !user ? (
        <div className="mt-6 space-y-3">
          <p className="text-sm text-stone-600">To accept, sign in or create an account with {invitation.email}.</p>
          <div className="flex flex-wrap gap-3">
            <Link href={authPathForInvitation("/sign-in", token)} className={buttonVariants()}>
              Sign in to accept
            </Link>
            <Link href={authPathForInvitation("/sign-up", token)} className={buttonVariants({ variant: "secondary" })}>
              Create an account
            </Link>
          </div>
          <p className="text-xs text-stone-500">The link works until {expiry}.</p>
        </div>
      ) : isInvitee(user, invitation) ? (
        <ActionForm action={acceptInvitationAction} className="mt-6 space-y-3">
          <input type="hidden" name="token" value={token} />
          <p className="text-sm text-stone-600">You are signed in as {user.email}.</p>
          <SubmitButton>Accept invitation</SubmitButton>
          <p className="text-xs text-stone-500">
            Not joining?{" "}
            <Link href={CREATE_CLINIC_PATH} className="underline">
              Create a clinic of your own
            </Link>{" "}
            instead.
          </p>
        </ActionForm>
      ) : (
        <form action={signOutAction} className="mt-6 space-y-3">
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            This invitation is for {invitation.email}, but you are signed in as {user.email}. Nothing has changed. To
            accept it, sign out and sign in (or create an account) with {invitation.email}.
          </p>
          <input type="hidden" name="invite" value={token} />
          <button type="submit" className={buttonVariants({ variant: "secondary" })}>
            Sign out
          </button>
        </form>
      )}
    </>
  );
}
