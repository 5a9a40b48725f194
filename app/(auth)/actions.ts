"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { runValidated, type ActionState } from "@/lib/auth/action";
import { auth } from "@/lib/auth/auth";
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
  if (state.status === "ok") redirect("/dashboard");
  return state;
}

export async function signOutAction() {
  await auth().api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
