import "server-only";
import { z } from "zod";
import type { MemberRole } from "@/lib/db/schema";
import { ClientStateError, FieldError, ForbiddenError, NotFoundError } from "@/lib/clinic/errors";
import { DESCRIPTION_MAX } from "@/lib/clinic/form-fields";
import { BookingStateError, BookingTimeError, SlotTakenError } from "@/lib/booking/errors";
import { InvitationStateError } from "@/lib/team/errors";
import { EmailChangeLinkError } from "./email-change-error";
import { FORM_CLINIC_FIELD } from "./form-clinic";
import { assertRole, type Member } from "./member";
import { ResetLinkError } from "./reset-token";
import { TooManyAttemptsError } from "./rate-limit";
import { requireMember } from "./session";

/**
 * The one validated-action wrapper. Every form posts FormData to a server action
 * that parses it with a zod schema, runs one lib function, and returns this state;
 * forms render `fieldErrors` beside their inputs and keep the submitted `values`.
 */
export type ActionState<T = unknown> = {
  status: "idle" | "ok" | "error";
  message?: string;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
  data?: T;
};

const CORRECT_FIELDS = "Please correct the highlighted fields.";
const SWITCHED_CLINIC =
  "This page is for another of your clinics: you switched clinic in another tab. Nothing was saved; reload the page.";

export const idleState: ActionState = { status: "idle" };

/**
 * What a dashboard action is: its schema, who may run it, and the lib call. A schema
 * that depends on the clinic (a price in the clinic's currency) is a function of the member.
 */
export type MemberActionDefinition<S extends z.ZodType, R> = {
  schema: S | ((member: Member) => S);
  roles: MemberRole[];
  run: (member: Member, input: z.output<S>) => Promise<R>;
  success?: string;
};

export function defineMemberAction<S extends z.ZodType, R>(definition: MemberActionDefinition<S, R>) {
  return definition;
}

// Never echo secrets back into the page.
const NOT_ECHOED = /password|token/i;
// Values go back into the form so nothing typed is lost, but no more than twice the
// longest field allows and without control characters: a 200 KB name posted by hand
// gets its field error, not a 600 KB page repeating it.
const ECHO_MAX = 2 * DESCRIPTION_MAX;
const echoed = (value: string) =>
  value.replace(/[\p{Cc}\p{Cs}]/gu, (char) => (char === "\n" || char === "\t" ? char : "")).slice(0, ECHO_MAX);

function readForm(formData: FormData) {
  // A file where text belongs stays a File, so the field's schema refuses it.
  const raw: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  const values: Record<string, string> = {};
  let echoedKeys = 0;
  for (const [key, value] of formData.entries()) {
    // Next's own fields ($ACTION_...) and the form's clinic ($clinic) are not input.
    if (key.startsWith("$")) continue;
    const existing = raw[key];
    // In place: a hand-made post repeating one key 100,000 times must stay linear.
    if (existing === undefined) raw[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else raw[key] = [existing, value];
    // Only names a form could have: a hand-made post with thousands of keys is not echoed.
    if (typeof value !== "string" || NOT_ECHOED.test(key) || key.length > 64) continue;
    if (!(key in values) && echoedKeys++ >= 100) continue;
    values[key] = echoed(value);
  }
  return { raw, values };
}

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

/** Maps the typed errors of lib/ to a state; anything else is a bug and is rethrown. */
function stateForError(error: unknown): ActionState | undefined {
  // The message shows beside its field; repeating it above the form showed it twice.
  if (error instanceof FieldError)
    return { status: "error", message: CORRECT_FIELDS, fieldErrors: { [error.field]: [error.message] } };
  if (error instanceof BookingTimeError) {
    return {
      status: "error",
      message: error.message,
      fieldErrors: { [error.field]: [error.message] },
      data: { remaining: error.remaining },
    };
  }
  if (error instanceof SlotTakenError)
    return { status: "error", message: error.message, data: { remaining: error.remaining } };
  if (
    error instanceof NotFoundError ||
    error instanceof ForbiddenError ||
    error instanceof BookingStateError ||
    error instanceof ClientStateError ||
    error instanceof InvitationStateError ||
    error instanceof ResetLinkError ||
    error instanceof EmailChangeLinkError ||
    error instanceof TooManyAttemptsError
  ) {
    return { status: "error", message: error.message };
  }
  return undefined;
}

/** Parses `formData` with `schema`, then runs `fn`; bad input never reaches `fn`. */
export async function runValidated<S extends z.ZodType, R>(
  schema: S,
  formData: FormData,
  fn: (input: z.output<S>) => Promise<R>,
  success?: string,
): Promise<ActionState<R>> {
  const { raw, values } = readForm(formData);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      status: "error",
      message: CORRECT_FIELDS,
      fieldErrors: fieldErrorsOf(parsed.error),
      values,
    };
  }
  try {
    const data = await fn(parsed.data);
    return { status: "ok", message: success, data, values };
  } catch (error) {
    const state = stateForError(error);
    if (!state) throw error;
    return { ...state, values } as ActionState<R>;
  }
}

/**
 * Runs a dashboard action for a known member: the clinic the form was shown for, the role,
 * validation, then the lib call.
 */
export async function runMemberAction<S extends z.ZodType, R>(
  member: Member,
  definition: MemberActionDefinition<S, R>,
  formData: FormData,
) {
  const shownFor = formData.get(FORM_CLINIC_FIELD);
  if (typeof shownFor === "string" && shownFor !== member.clinic.id) {
    return { status: "error", message: SWITCHED_CLINIC } satisfies ActionState<R>;
  }
  try {
    assertRole(member, definition.roles);
  } catch (error) {
    return { status: "error", message: (error as Error).message } satisfies ActionState<R>;
  }
  const schema = typeof definition.schema === "function" ? definition.schema(member) : definition.schema;
  return runValidated(schema, formData, (input) => definition.run(member, input), definition.success);
}

/** The server-action body for a dashboard form: the signed-in member, then runMemberAction. */
export async function memberAction<S extends z.ZodType, R>(
  definition: MemberActionDefinition<S, R>,
  formData: FormData,
): Promise<ActionState<R>> {
  const member = await requireMember();
  return runMemberAction(member, definition, formData);
}
