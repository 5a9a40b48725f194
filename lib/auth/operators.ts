import { DEMO } from "@/lib/demo/demo-clinic";
import { normalizeEmail } from "@/lib/clinic/form-fields";
import { parseOperatorEmails } from "@/lib/env";

/**
 * Deployment operators: the people who may see /admin/jobs, the job queue of every
 * clinic on this deployment. Being a clinic's owner is not enough (one tenant must not
 * see another's bookings in job payloads), so operators are named in OPERATOR_EMAILS.
 *
 * No database here: the session code and tests read it as plain functions.
 */

type OperatorEnv = { OPERATOR_EMAILS?: string; NODE_ENV?: string };

/**
 * The operator allowlist. Unset (or empty) outside production, the seeded demo owner
 * is the operator, so /admin/jobs works on a fresh `npm run dev`; unset in production,
 * nobody is, and operators use `npm run jobs` instead.
 */
export function operatorEmails(source: OperatorEnv = process.env): string[] {
  const raw = source.OPERATOR_EMAILS?.trim();
  if (raw) return parseOperatorEmails(raw);
  return source.NODE_ENV === "production" ? [] : [DEMO.email];
}

export function isOperator(email: string | null | undefined, source: OperatorEnv = process.env): boolean {
  if (!email) return false;
  return operatorEmails(source).includes(normalizeEmail(email));
}
