import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { clinics, users, type Clinic } from "@/lib/db/schema";
import { FieldError } from "@/lib/clinic/errors";
import { email, NAME_MAX, requiredText } from "@/lib/clinic/form-fields";
import { InvitationStateError } from "@/lib/team/errors";
import { acceptInvitationSchema, findInvitationByToken } from "@/lib/team/join";
import { auth } from "./auth";
import { emailTaken, markEmailVerified } from "./email-ownership";
import { enteredPassword, newPassword } from "./password-fields";
import { requestEmailVerification } from "./email-verification";
import { clinicSchema, createClinicForUser, type ClinicDetails } from "./onboarding";
import { checkPasswordWithinLimits, clientIp, recordAuthAttempt, signUpLimits } from "./rate-limit";

export const signUpSchema = clinicSchema.extend({
  name: requiredText(NAME_MAX, "name", "Enter your name"),
  email: email(),
  password: newPassword,
});

export const signInSchema = z.object({
  email: email(),
  password: enteredPassword("Enter your password"),
});

const EMAIL_TAKEN = "An account with this email already exists. Sign in instead.";

/** Every sign-up counts, whatever its outcome: each makes an account or says an email has one. */
async function recordSignUp(requestHeaders: Headers) {
  await recordAuthAttempt(signUpLimits(clientIp(requestHeaders)));
}

/** Creates the user through better-auth (a real password hash, a real session cookie); a taken email is a field error. */
async function createAccount(
  input: Pick<z.output<typeof signUpSchema>, "name" | "email" | "password">,
  requestHeaders: Headers,
): Promise<{ id: string }> {
  if (await emailTaken(input.email)) throw new FieldError("email", EMAIL_TAKEN);
  try {
    const { user } = await auth().api.signUpEmail({
      body: { name: input.name, email: input.email, password: input.password },
      headers: requestHeaders,
    });
    return user;
  } catch (error) {
    // Two sign-ups with one email can both pass the check above; the unique email of
    // `users` lets one in, and better-auth refuses the other (USER_ALREADY_EXISTS, or
    // FAILED_TO_CREATE_USER when the insert itself lost the race).
    if (isAPIError(error) && (await emailTaken(input.email))) throw new FieldError("email", EMAIL_TAKEN);
    throw error;
  }
}

/**
 * Creates the owner, then the clinic and the owner's membership. Taken slugs and emails
 * are refused before anything is written; if another sign-up takes the slug in between,
 * the new user is removed again so the form can simply be sent again. Should the process
 * die between the two steps, the user is left without a clinic and is sent to create one
 * when they sign in (lib/auth/onboarding.ts). The clinic's transaction also asks the
 * email-verification job to email the owner a link that confirms their address; its
 * event's id is for the kick.
 */
export async function signUpClinic(
  input: ClinicDetails & Pick<z.output<typeof signUpSchema>, "name" | "email" | "password">,
  requestHeaders: Headers = new Headers(),
): Promise<{ clinic: Clinic; verificationEventId: string }> {
  await recordSignUp(requestHeaders);
  const [slugTaken] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, input.slug));
  if (slugTaken) throw new FieldError("slug", "That booking address is taken; choose another.");
  const user = await createAccount(input, requestHeaders);
  const verificationEventId = randomUUID();
  try {
    // The confirmation request commits with the clinic: a sign-up that fails leaves neither.
    const clinic = await createClinicForUser(user.id, input, (tx) =>
      requestEmailVerification(user.id, { tx, eventId: verificationEventId }),
    );
    return { clinic, verificationEventId };
  } catch (error) {
    await db.delete(users).where(eq(users.id, user.id));
    throw error;
  }
}

export const invitedSignUpSchema = signUpSchema
  .pick({ name: true, email: true, password: true })
  .extend(acceptInvitationSchema.shape);

/**
 * Sign-up through an invitation link: the account only, no clinic. The invitee comes back
 * to the invitation and accepts it there (lib/team/join.ts); the account must use the
 * invited email, so that is the one they can accept with, and the invitation's emailed
 * link already proved the address theirs: it starts confirmed.
 */
export async function signUpInvited(
  input: z.output<typeof invitedSignUpSchema>,
  requestHeaders: Headers = new Headers(),
): Promise<{ id: string }> {
  await recordSignUp(requestHeaders);
  const found = await findInvitationByToken(input.token);
  if (!found) throw new InvitationStateError("invalid");
  if (found.state !== "pending") throw new InvitationStateError(found.state);
  if (input.email !== found.invitation.email)
    throw new FieldError("email", `This invitation is for ${found.invitation.email}; sign up with that address.`);
  const user = await createAccount(input, requestHeaders);
  await markEmailVerified(user.id);
  return user;
}

/**
 * Signs in; a wrong email or password gets one message that reveals neither. Failed
 * attempts are limited per email and per client address (lib/auth/rate-limit.ts); a
 * correct password clears that email's failures.
 */
export async function signIn(input: z.output<typeof signInSchema>, requestHeaders: Headers = new Headers()) {
  return checkPasswordWithinLimits(
    input.email,
    requestHeaders,
    () => auth().api.signInEmail({ body: input, headers: requestHeaders }),
    // A refused email or password stays counted; anything else (the database, a bug) does not.
    (error) =>
      isAPIError(error) ? new FieldError("password", "That email and password do not match an account.") : undefined,
  );
}
