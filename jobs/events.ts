import { z } from "zod";

/**
 * The event catalog: every event the app sends, with its payload declared once.
 * `sendEvent` validates against these schemas on both drivers, and each job's
 * `event.data` is typed from them.
 */
export const events = {
  "booking/created": z.object({
    bookingId: z.uuid(),
    clinicId: z.uuid(),
  }),
  "booking/cancelled": z.object({
    bookingId: z.uuid(),
    clinicId: z.uuid(),
    by: z.enum(["client", "clinic"]),
  }),
  /** A booking moved to a new time: its pending reminder is cancelled and a new one starts. */
  "booking/rescheduled": z.object({
    bookingId: z.uuid(),
    clinicId: z.uuid(),
    /** Who moved it, for the owners' email; events from before it was added were the client's. */
    by: z.enum(["client", "clinic"]).optional(),
  }),
  /** Someone was invited to a clinic's team: the team-invitation job emails them the link. */
  "team/member.invited": z.object({
    invitationId: z.uuid(),
    clinicId: z.uuid(),
  }),
  /** Someone asked for a password reset link for their account: the password-reset job emails it. */
  "auth/password-reset.requested": z.object({
    userId: z.string().min(1).max(100),
  }),
  /** A new account's address is to be confirmed: the email-verification job emails the link. */
  "auth/email-verification.requested": z.object({
    userId: z.string().min(1).max(100),
  }),
  /** An account asked to sign in with a new address: the email-change job emails it the link. */
  "auth/email-change.requested": z.object({
    userId: z.string().min(1).max(100),
    newEmail: z.email(),
  }),
  /** An account moved to a new address: the email-changed job tells the address it left. */
  "auth/email-changed": z.object({
    userId: z.string().min(1).max(100),
    previousEmail: z.email(),
    newEmail: z.email(),
  }),
  "billing/summary.requested": z.object({
    clinicId: z.uuid(),
    /** Calendar month in the clinic's time zone, "YYYY-MM". */
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "period must be YYYY-MM"),
  }),
} satisfies Record<string, z.ZodType<Record<string, unknown>>>;

export type EventCatalog = typeof events;
