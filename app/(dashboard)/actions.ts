"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { memberAction, runValidated, type ActionState, type MemberActionDefinition } from "@/lib/auth/action";
import { accountNameSchema, changePassword, changePasswordSchema, renameAccount } from "@/lib/auth/account";
import { switchActiveClinic, switchClinicSchema } from "@/lib/auth/active-clinic";
import { signOutOtherDevices } from "@/lib/auth/devices";
import { changeEmailSchema, requestEmailChange } from "@/lib/auth/email-change";
import { resendEmailVerification } from "@/lib/auth/email-verification";
import { requireUser } from "@/lib/auth/session";
import { moveAppointmentAction, setAppointmentStatusAction } from "@/lib/clinic/appointments";
import { updateClientAction } from "@/lib/clinic/clients";
import { eraseClientAction } from "@/lib/clinic/erase-client";
import { createPhoneBookingAction, type PhoneBookingResult } from "@/lib/clinic/phone-bookings";
import { createPractitionerAction, updatePractitionerAction } from "@/lib/clinic/practitioners";
import { addTimeOffAction, removeTimeOffAction, setWorkingHoursAction } from "@/lib/clinic/schedule";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { createTreatmentAction, setTreatmentPractitionersAction, updateTreatmentAction } from "@/lib/clinic/treatments";
import { kickJobs } from "@/lib/jobs/kick";
import { inviteMemberAction, resendInvitationAction, revokeInvitationAction } from "@/lib/team/invitations";
import { changeMemberRoleAction, removeMemberAction } from "@/lib/team/members";
import { z } from "zod";

// Thin edges: each action is a definition from lib/clinic run by the one wrapper.
async function run<S extends z.ZodType, R>(definition: MemberActionDefinition<S, R>, formData: FormData, path: string) {
  const state = await memberAction(definition, formData);
  if (state.status === "ok") revalidatePath(path);
  return state;
}

export async function createTreatment(_state: ActionState, formData: FormData) {
  return run(createTreatmentAction, formData, "/dashboard/treatments");
}
export async function updateTreatment(_state: ActionState, formData: FormData) {
  return run(updateTreatmentAction, formData, "/dashboard/treatments");
}
export async function setTreatmentPractitioners(_state: ActionState, formData: FormData) {
  return run(setTreatmentPractitionersAction, formData, "/dashboard/treatments");
}
export async function createPractitioner(_state: ActionState, formData: FormData) {
  return run(createPractitionerAction, formData, "/dashboard/practitioners");
}
export async function updatePractitioner(_state: ActionState, formData: FormData) {
  return run(updatePractitionerAction, formData, "/dashboard/practitioners");
}
export async function setWorkingHours(_state: ActionState, formData: FormData) {
  return run(setWorkingHoursAction, formData, "/dashboard/practitioners");
}
export async function addTimeOff(_state: ActionState, formData: FormData) {
  return run(addTimeOffAction, formData, "/dashboard/practitioners");
}
export async function removeTimeOff(_state: ActionState, formData: FormData) {
  return run(removeTimeOffAction, formData, "/dashboard/practitioners");
}
export async function updateClinicSettings(_state: ActionState, formData: FormData) {
  return run(updateClinicSettingsAction, formData, "/dashboard");
}
export async function setAppointmentStatus(_state: ActionState, formData: FormData) {
  const state = await run(setAppointmentStatusAction, formData, "/dashboard");
  // A clinic-side cancel emitted booking/cancelled: run its jobs now.
  if (state.status === "ok") kickJobs();
  return state;
}
export async function moveAppointment(_state: ActionState, formData: FormData) {
  const state = await run(moveAppointmentAction, formData, "/dashboard");
  if (state.status !== "ok" || !state.data) {
    // The times shown may be stale (someone took the one chosen): render them again.
    revalidatePath("/dashboard/bookings/[id]/move", "page");
    return { ...state, data: undefined };
  }
  // The client's email of the new time goes out right after this response.
  kickJobs();
  redirect(`/dashboard?view=day&date=${(state.data as { date: string }).date}`);
}
export async function updateClient(_state: ActionState, formData: FormData) {
  return run(updateClientAction, formData, "/dashboard/clients");
}
export async function eraseClient(_state: ActionState, formData: FormData) {
  return run(eraseClientAction, formData, "/dashboard/clients");
}
export async function createPhoneBooking(_state: ActionState, formData: FormData) {
  const state = await run(createPhoneBookingAction, formData, "/dashboard");
  if (state.status !== "ok" || !state.data) return state;
  const booked = state.data as PhoneBookingResult;
  // The client's confirmation first, whatever else is queued.
  kickJobs({ eventIds: [booked.eventId] });
  redirect(`/dashboard?view=day&date=${booked.date}&booked=${booked.bookingId}`);
}
export async function inviteMember(_state: ActionState, formData: FormData) {
  const state = await run(inviteMemberAction, formData, "/dashboard/team");
  if (state.status !== "ok" || !state.data) return state;
  // The invitation email goes out right after this response.
  kickJobs({ eventIds: [state.data.eventId] });
  return { status: "ok", message: `Invitation sent to ${state.data.invitation.email}.` } satisfies ActionState;
}
export async function revokeInvitation(_state: ActionState, formData: FormData) {
  return run(revokeInvitationAction, formData, "/dashboard/team");
}
// Resending replaces the invitation's row, and removing deletes the member's, so the form that
// would show the outcome is gone: the team page says it (?done=).
export async function resendInvitation(_state: ActionState, formData: FormData) {
  const state = await run(resendInvitationAction, formData, "/dashboard/team");
  if (state.status !== "ok" || !state.data) return state;
  kickJobs({ eventIds: [state.data.eventId] });
  redirect("/dashboard/team?done=resent");
}
export async function changeMemberRole(_state: ActionState, formData: FormData) {
  return run(changeMemberRoleAction, formData, "/dashboard/team");
}
export async function removeMember(_state: ActionState, formData: FormData) {
  const state = await run(removeMemberAction, formData, "/dashboard/team");
  if (state.status !== "ok") return state;
  redirect("/dashboard/team?done=removed");
}

/** The header's clinic switcher: another of the user's clinics becomes the one the dashboard shows. */
export async function switchClinic(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const state = await runValidated(switchClinicSchema, formData, (input) => switchActiveClinic(user, input));
  if (state.status === "ok") redirect("/dashboard");
  return state;
}

/** The user's own name (/dashboard/account): theirs in every clinic they belong to. */
export async function renameOwnAccount(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const state = await runValidated(accountNameSchema, formData, (input) => renameAccount(user, input), "Name saved.");
  if (state.status === "ok") revalidatePath("/dashboard", "layout");
  return state;
}

/** A new password; this browser stays signed in, every other session ends. */
export async function changeOwnPassword(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const requestHeaders = await headers();
  return runValidated(
    changePasswordSchema,
    formData,
    (input) => changePassword(user, input, requestHeaders),
    "Password changed. Every other device where you were signed in is signed out.",
  );
}

/** The dashboard's "send it again" for the link that confirms the user's address. */
export async function resendConfirmation(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const state = await runValidated(z.object({}), formData, () => resendEmailVerification(user.id));
  if (state.status !== "ok") return { ...state, data: undefined };
  if (!state.data) {
    revalidatePath("/dashboard", "layout");
    return { status: "ok", message: "Your email address is already confirmed." };
  }
  kickJobs({ eventIds: [state.data] });
  return { status: "ok", message: `A new link is on its way to ${user.email}.` } satisfies ActionState;
}

/** A new sign-in address (/dashboard/account): nothing changes until the link emailed to it is opened. */
export async function changeOwnEmail(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const requestHeaders = await headers();
  const state = await runValidated(changeEmailSchema, formData, (input) =>
    requestEmailChange(user, input, requestHeaders),
  );
  if (state.status !== "ok" || !state.data) return { ...state, data: undefined };
  kickJobs({ eventIds: [state.data.eventId] });
  return {
    status: "ok",
    message: `We sent a link to ${state.data.email}. You sign in as ${user.email} until you open it.`,
  } satisfies ActionState;
}

/** "Sign out everywhere else" (/dashboard/account): every session of the account but this browser's ends. */
export async function signOutElsewhere(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const requestHeaders = await headers();
  const state = await runValidated(z.object({}), formData, () => signOutOtherDevices(user.id, requestHeaders));
  if (state.status !== "ok") return { ...state, data: undefined };
  revalidatePath("/dashboard/account");
  const ended = state.data ?? 0;
  return {
    status: "ok",
    message: `Signed out of ${ended} other ${ended === 1 ? "device" : "devices"}. This one stays signed in.`,
  } satisfies ActionState;
}
