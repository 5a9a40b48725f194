import "server-only";
import { eq } from "drizzle-orm";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { clinics, memberships, users, type Clinic } from "@/lib/db/schema";
import { FieldError } from "@/lib/clinic/errors";
import { requiredText } from "@/lib/clinic/form-fields";
import { auth, MIN_PASSWORD_LENGTH } from "./auth";

const email = z.email("Enter an email address such as you@example.com").trim().toLowerCase();

export const signUpSchema = z.object({
  clinicName: requiredText(100, "clinic name"),
  slug: z
    .string("Choose the address of your booking page")
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single dashes, e.g. riverside-physio")
    .min(3, "Use at least 3 characters")
    .max(48, "Use at most 48 characters"),
  name: requiredText(100, "your name"),
  email,
  password: z.string("Choose a password").min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(128, "Use at most 128 characters"),
});

export const signInSchema = z.object({
  email,
  password: z.string("Enter your password").min(1, "Enter your password"),
});

/**
 * Creates the owner (through better-auth: real password hash, real session cookie),
 * then the clinic and the owner's membership. Taken slugs and emails are refused
 * before anything is written; if another sign-up takes the slug in between, the new
 * user is removed again so no clinic-less account is left behind.
 */
export async function signUpClinic(input: z.output<typeof signUpSchema>, requestHeaders: Headers = new Headers()): Promise<Clinic> {
  const [slugTaken] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, input.slug));
  if (slugTaken) throw new FieldError("slug", "That booking address is taken; choose another.");
  const [emailTaken] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (emailTaken) throw new FieldError("email", "An account with this email exists. Sign in instead.");

  const { user } = await auth().api.signUpEmail({ body: { name: input.name, email: input.email, password: input.password }, headers: requestHeaders });
  try {
    return await db.transaction(async (tx) => {
      const [clinic] = await tx.insert(clinics).values({ name: input.clinicName, slug: input.slug }).returning();
      await tx.insert(memberships).values({ clinicId: clinic.id, userId: user.id, role: "owner" });
      return clinic;
    });
  } catch (error) {
    await db.delete(users).where(eq(users.id, user.id));
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === "23505") throw new FieldError("slug", "That booking address is taken; choose another.");
    throw error;
  }
}

/** Signs in; a wrong email or password gets one message that reveals neither. */
export async function signIn(input: z.output<typeof signInSchema>, requestHeaders: Headers = new Headers()) {
  try {
    return await auth().api.signInEmail({ body: input, headers: requestHeaders });
  } catch (error) {
    if (isAPIError(error)) throw new FieldError("password", "That email and password do not match an account.");
    throw error;
  }
}
