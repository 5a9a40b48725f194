import type { JobDefinition } from "@/lib/jobs/types";
import { appointmentReminder } from "./appointment-reminder";
import { billingSummary } from "./billing-summary";
import { billingSummaryMonthly } from "./billing-summary-monthly";
import { bookingCancellation } from "./booking-cancellation";
import { bookingConfirmation } from "./booking-confirmation";
import { bookingRescheduled } from "./booking-rescheduled";
import { emailChange } from "./email-change";
import { emailChanged } from "./email-changed";
import { emailVerification } from "./email-verification";
import { passwordReset } from "./password-reset";
import { teamInvitation } from "./team-invitation";

/**
 * The registry: every job Slotline runs. Add a job by writing a file in jobs/ and
 * listing it here; both drivers read this list. `satisfies` (not a type annotation)
 * keeps each job's own trigger types for tests/types/inngest-compat.test-d.ts.
 */
export const jobs = [
  bookingConfirmation,
  appointmentReminder,
  bookingCancellation,
  bookingRescheduled,
  billingSummaryMonthly,
  billingSummary,
  teamInvitation,
  passwordReset,
  emailVerification,
  emailChange,
  emailChanged,
] satisfies JobDefinition[];
