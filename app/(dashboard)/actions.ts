"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { memberAction, type ActionState, type MemberActionDefinition } from "@/lib/auth/action";
import { setAppointmentStatusAction } from "@/lib/clinic/appointments";
import { createPhoneBookingAction, type PhoneBookingResult } from "@/lib/clinic/phone-bookings";
import { createPractitionerAction, updatePractitionerAction } from "@/lib/clinic/practitioners";
import { addTimeOffAction, removeTimeOffAction, setWorkingHoursAction } from "@/lib/clinic/schedule";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { createTreatmentAction, setTreatmentPractitionersAction, updateTreatmentAction } from "@/lib/clinic/treatments";
import { kickJobs } from "@/lib/jobs/kick";
import type { z } from "zod";

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
export async function createPhoneBooking(_state: ActionState, formData: FormData) {
  const state = await run(createPhoneBookingAction, formData, "/dashboard");
  if (state.status !== "ok" || !state.data) return state;
  const booked = state.data as PhoneBookingResult;
  // The client's confirmation first, whatever else is queued.
  kickJobs({ eventIds: [booked.eventId] });
  redirect(`/dashboard?view=day&date=${booked.date}&booked=${booked.bookingId}`);
}
