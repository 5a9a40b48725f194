"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { runValidated, type ActionState } from "@/lib/auth/action";
import { auth } from "@/lib/auth/auth";
import { clinicSchema, createClinicForUser, homePathFor } from "@/lib/auth/onboarding";
import { requireUser } from "@/lib/auth/session";
import { signIn, signInSchema, signUpClinic, signUpSchema } from "@/lib/auth/sign-up";

export async function signUpAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const requestHeaders = await headers();
  const state = await runValidated(signUpSchema, formData, (input) => signUpClinic(input, requestHeaders));
  if (state.status === "ok") redirect("/dashboard");
  return state;
}

export async function signInAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const requestHeaders = await headers();
  const state = await runValidated(signInSchema, formData, (input) => signIn(input, requestHeaders));
  // The dashboard, the job queue for an operator with no clinic, or the page that creates one.
  if (state.status === "ok" && state.data) redirect(await homePathFor(state.data.user));
  return state;
}

/** A signed-in user with no clinic (their sign-up stopped half-way) creates it here. */
export async function createClinicAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser();
  const state = await runValidated(clinicSchema, formData, (input) => createClinicForUser(user.id, input));
  if (state.status === "ok") redirect("/dashboard");
  return state;
}

export async function signOutAction() {
  await auth().api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
