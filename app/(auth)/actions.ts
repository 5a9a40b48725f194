"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { runValidated, type ActionState } from "@/lib/auth/action";
import { forgetActiveClinic, rememberActiveClinic } from "@/lib/auth/active-clinic";
import { auth } from "@/lib/auth/auth";
import {
  confirmEmailChange,
  confirmEmailChangeSchema,
  undoEmailChange,
  undoEmailChangeSchema,
} from "@/lib/auth/email-change";
import { clinicSchema, createClinicForUser, homePathFor } from "@/lib/auth/onboarding";
import {
  requestPasswordReset,
  requestPasswordResetSchema,
  resetPassword,
  resetPasswordSchema,
} from "@/lib/auth/password-reset";
import { getUser, requireUser } from "@/lib/auth/session";
import {
  invitedSignUpSchema,
  signIn,
  signInSchema,
  signUpClinic,
  signUpInvited,
  signUpSchema,
} from "@/lib/auth/sign-up";
import { kickJobs } from "@/lib/jobs/kick";
import { invitationPath, invitationPathOrNull, signInPathFor } from "@/lib/team/invitation-token";
import { acceptInvitation, acceptInvitationSchema } from "@/lib/team/join";

export async function signUpAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const requestHeaders = await headers();
  const state = await runValidated(signUpSchema, formData, (input) => signUpClinic(input, requestHeaders));
  if (state.status !== "ok" || !state.data) return { ...state, data: undefined };
  kickJobs({ eventIds: [state.data.verificationEventId] });
  redirect("/dashboard");
}

/** Sign-up from an invitation link: an account with no clinic of its own, then back to the invitation. */
export async function signUpInvitedAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const requestHeaders = await headers();
  const state = await runValidated(invitedSignUpSchema, formData, async (input) => {
    await signUpInvited(input, requestHeaders);
    return input.token;
  });
  if (state.status === "ok" && state.data) redirect(invitationPath(state.data));
  return { ...state, data: undefined };
}

export async function signInAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const requestHeaders = await headers();
  const state = await runValidated(signInSchema, formData, (input) => signIn(input, requestHeaders));
  // Back to the invitation they came from; else the dashboard, the job queue for an
  // operator with no clinic, or the page that creates one.
  if (state.status === "ok" && state.data)
    redirect(invitationPathOrNull(formData.get("invite")) ?? (await homePathFor(state.data.user)));
  return state;
}

/** A signed-in user with no clinic (their sign-up stopped half-way) creates it here. */
export async function createClinicAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const state = await runValidated(clinicSchema, formData, (input) => createClinicForUser(user.id, input));
  if (state.status === "ok") redirect("/dashboard");
  return state;
}

/** Accepting an invitation opens the dashboard in the clinic just joined. */
export async function acceptInvitationAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await getUser();
  // Signed out meanwhile (the session expired): sign in, and back to this invitation.
  if (!user) redirect(signInPathFor(formData.get("token")));
  const state = await runValidated(acceptInvitationSchema, formData, (input) => acceptInvitation(user, input.token));
  if (state.status === "ok" && state.data) {
    await rememberActiveClinic(state.data.id);
    redirect("/dashboard");
  }
  return { ...state, data: undefined };
}

/**
 * Signs out, and forgets the active clinic; from an invitation (someone signed in with
 * another email), on to signing in for it.
 */
export async function signOutAction(formData: FormData) {
  await auth().api.signOut({ headers: await headers() });
  await forgetActiveClinic();
  redirect(signInPathFor(formData.get("invite")));
}

/** The same answer whether or not the email has an account; the link goes out right after this response. */
export async function requestPasswordResetAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const requestHeaders = await headers();
  const state = await runValidated(requestPasswordResetSchema, formData, (input) =>
    requestPasswordReset(input, requestHeaders),
  );
  if (state.status !== "ok" || !state.data) return { ...state, data: undefined };
  const { email, eventId } = state.data;
  if (eventId) kickJobs({ eventIds: [eventId] });
  return {
    status: "ok",
    message: `If ${email} has an account, a link to choose a new password is on its way. It works for an hour.`,
  } satisfies ActionState;
}

/** A new password from the emailed link; then sign in with it (every other session has ended). */
export async function resetPasswordAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const state = await runValidated(resetPasswordSchema, formData, resetPassword);
  if (state.status === "ok") redirect("/sign-in?reset=done");
  return state;
}

/** The button on the page a new address's link opens: the account moves to it. */
export async function confirmEmailChangeAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const state = await runValidated(confirmEmailChangeSchema, formData, confirmEmailChange);
  if (state.status !== "ok" || !state.data) return { ...state, data: undefined };
  kickJobs({ eventIds: [state.data.eventId] });
  return { status: "ok", message: `Done: you sign in as ${state.data.email} from now on.` } satisfies ActionState;
}

/** The button on the page the undo link in a change notice opens: the account goes back to that address. */
export async function undoEmailChangeAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const state = await runValidated(undoEmailChangeSchema, formData, undoEmailChange);
  if (state.status !== "ok" || !state.data) return { ...state, data: undefined };
  kickJobs({ eventIds: [state.data.eventId] });
  const { email } = state.data;
  return {
    status: "ok",
    message: `Done: your account signs in with ${email} again, and is signed out everywhere. A link to set a new password is on its way to ${email}; it works for an hour.`,
  } satisfies ActionState;
}
