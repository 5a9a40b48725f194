import { z } from "zod";

/**
 * The zod field schemas every edge shares: dashboard, auth and booking forms, the
 * server actions behind them, route bodies and CLI arguments. FormData sends strings
 * or nothing; a field's error names what is wrong and never repeats more than a short
 * excerpt of what was sent (a 200 KB name must not come back as a 200 KB message).
 */

/** RFC 5321's limit for an address; it also keeps the unique indexes on email far below PostgreSQL's btree row limit. */
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
export const NOTE_MAX = 500;
export const DESCRIPTION_MAX = 1000;
/** A client's phone on the booking form, and the clinic's own (which may carry an extension). */
export const CLIENT_PHONE_MAX = 20;
export const CLINIC_PHONE_MAX = 30;
export const ADDRESS_MAX = 300;

// C0 and C1 control characters and DEL, plus lone UTF-16 surrogates (not text at
// all). PostgreSQL refuses NUL outright (22021); the rest hide in names, logs and emails.
const UNWANTED = /[\p{Cc}\p{Cs}]/u;
// What a one-line field may contain (line breaks and tabs become a space, as a
// browser does when text with them is pasted into an input) and a multi-line one.
const ONE_LINE_BREAKS = /[\t\r\n]+/g;
const MULTI_LINE_ALLOWED = /[\t\n]/g;

/** The first `max` characters of `value`, for messages that must not echo a whole input. */
export function excerpt(value: string, max = 40): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max).join("")}…`;
}

function codePoint(char: string) {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A field error for the first control character in `value`, if any. */
const refuseControlCharacters = (label: string, allowed?: RegExp) => (value: string, ctx: z.RefinementCtx<string>) => {
  const match = UNWANTED.exec(allowed ? value.replace(allowed, "") : value);
  if (match) {
    ctx.addIssue({
      code: "custom",
      message: `Remove the invisible control character (${codePoint(match[0])}) from the ${label}`,
    });
  }
};

/** One line of text: line breaks become spaces, outer spaces are trimmed, control characters refused. */
const oneLine = (label: string, max: number, message: string) =>
  z
    .string(message)
    .overwrite((value) => value.replace(ONE_LINE_BREAKS, " ").normalize("NFC"))
    .trim()
    .max(max, `Keep the ${label} under ${max} characters`)
    .superRefine(refuseControlCharacters(label));

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

export const requiredText = (max: number, label: string, missing = `Enter the ${label}`) =>
  oneLine(label, max, missing).min(1, missing);

/** `notText`: the message for a value that is not one piece of text (a field sent twice, say). */
export const optionalText = (max: number, label: string, notText = `Enter the ${label}`) =>
  z.preprocess(blankToUndefined, oneLine(label, max, notText).optional());

/** Text that may span lines (a description, a reason): line breaks and tabs kept, other control characters refused. */
export const optionalMultilineText = (max: number, label: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string(`Enter the ${label}`)
      .overwrite((value) => value.replace(/\r\n?/g, "\n").normalize("NFC"))
      .trim()
      .max(max, `Keep the ${label} under ${max} characters`)
      .superRefine(refuseControlCharacters(label, MULTI_LINE_ALLOWED))
      .optional(),
  );

/** An email address as Slotline compares and stores them: trimmed and lowercased. */
export const normalizeEmail = (address: string) => address.trim().toLowerCase();

/**
 * An email address: trimmed and lowercased first (so " Ana@Example.com " is fine),
 * then limited to EMAIL_MAX characters, then checked.
 */
export const email = (message = "Enter an email address such as you@example.com") =>
  z
    .string(message)
    .trim()
    .toLowerCase()
    .max(EMAIL_MAX, `Use an email address of at most ${EMAIL_MAX} characters`)
    .pipe(z.email(message));

export const optionalEmail = (message?: string) => z.preprocess(blankToUndefined, email(message).optional());

// An optional leading +, then digits, spaces, dashes and brackets: "+44 (0)20 7946 0000".
const PHONE_PATTERN = /^\+?[0-9 ()-]{6,}$/;

/** A phone number as people write it; blank is unset. Too long is its own message, not the pattern's. */
export const optionalPhone = (max: number, label = "phone number") =>
  z.preprocess(
    blankToUndefined,
    z
      .string(`Enter the ${label}`)
      .trim()
      .max(max, { error: `Keep the ${label} under ${max} characters`, abort: true })
      .regex(PHONE_PATTERN, `Enter the ${label} with digits, spaces, +, -, ( and ) only`)
      .optional(),
  );

/** An unchecked checkbox sends nothing at all. */
export const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());

export const wholeNumber = (label: string, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number(`Enter the ${label} as a whole number`)
      .int(`Enter the ${label} as a whole number`)
      .min(min, `The ${label} must be at least ${min}`)
      .max(max, `The ${label} must be at most ${max}`),
  );

/** A whole number that is `whenBlank` when the field is left blank or out. */
export const wholeNumberOr = (whenBlank: number, label: string, min: number, max: number) =>
  z.preprocess((value) => blankToUndefined(value) ?? whenBlank, wholeNumber(label, min, max));

export const id = (what: string) => z.uuid(`Unknown ${what}`);

/** A name a program made (an event id, a job id, an event name): printable ASCII, no spaces. */
export const identifier = (label: string, max = 200, missing = `${label} is missing`) =>
  z
    .string(missing)
    .min(1, `${label} is missing`)
    .max(max, `${label} must be at most ${max} characters`)
    .regex(/^[\x21-\x7e]+$/, `${label} must be printable ASCII without spaces`);

/** A clinic's booking-page address: lowercase letters, digits and single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MAX = 48;

export const slug = z
  .string("Choose the address of your booking page")
  .trim()
  .toLowerCase()
  .max(SLUG_MAX, `Use at most ${SLUG_MAX} characters`)
  // abort: a slug with bad characters gets that one message, not the length one run on after it.
  .regex(SLUG_PATTERN, { error: "Use lowercase letters, digits and single dashes, e.g. riverside-physio", abort: true })
  .min(3, "Use at least 3 characters");

/** "09:30" -> 570 minutes after midnight; "24:00" is allowed as the end of a day. */
/** "09:30" as 570 minutes after midnight (minutesToTime in lib/format/clinic-time.ts is the inverse). */
export const timeToMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const timeOfDay = (label: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, `Enter the ${label} as HH:MM`)
    .transform(timeToMinutes);
