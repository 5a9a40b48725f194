"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { runValidated, type ActionState } from "@/lib/auth/action";
import { cancelBookingByClient, clientCancelSchema } from "@/lib/booking/cancel-booking";
import { bookingManagePath } from "@/lib/booking/booking-links";
import { bookFromForm, bookingFormSchema } from "@/lib/booking/create-booking";
import { clientRescheduleSchema, rescheduleBookingByClient } from "@/lib/booking/reschedule-booking";
import { kickJobs } from "@/lib/jobs/kick";

export async function bookAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const requestHeaders = await headers();
  const state = await runValidated(bookingFormSchema, formData, (input) => bookFromForm(input, requestHeaders));
  if (state.status !== "ok" || !state.data) return state;
  // This booking's confirmation and reminder first, whatever else is queued.
  kickJobs({ eventIds: [state.data.booking.eventId] });
  redirect(`${bookingManagePath(state.data.slug, state.data.token)}?booked=1`);
}

export async function cancelAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const state = await runValidated(
    clientCancelSchema,
    formData,
    (input) => cancelBookingByClient(input),
    "Your appointment is cancelled.",
  );
  if (state.status === "ok") {
    kickJobs();
    revalidatePath("/book/[clinic]/manage/[token]", "page");
  }
  return { ...state, data: undefined };
}

export async function rescheduleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const state = await runValidated(clientRescheduleSchema, formData, (input) => rescheduleBookingByClient(input));
  if (state.status !== "ok" || !state.data) {
    // The times shown may be stale (someone took the one chosen): render them again.
    revalidatePath("/book/[clinic]/manage/[token]/reschedule", "page");
    return { ...state, data: undefined };
  }
  kickJobs();
  redirect(`${bookingManagePath(state.data.clinicSlug, state.data.token)}?moved=1`);
}
