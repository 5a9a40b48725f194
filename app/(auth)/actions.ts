"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { runValidated, type ActionState } from "@/lib/auth/action";
import { auth } from "@/lib/auth/auth";
import { memberForUser } from "@/lib/auth/member";
import { isOperator } from "@/lib/auth/operators";
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
  if (state.status === "ok" && state.data) {
    // An operator who belongs to no clinic has no dashboard; their home is the job queue.
    const { user } = state.data;
    redirect(!(await memberForUser(user)) && isOperator(user.email) ? "/admin/jobs" : "/dashboard");
  }
  return state;
}

export async function signOutAction() {
  await auth().api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
