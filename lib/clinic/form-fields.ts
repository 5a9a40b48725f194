import { z } from "zod";

/** Small zod pieces shared by the dashboard forms (FormData sends strings or nothing). */

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

export const optionalText = (max: number, label: string) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, `Keep the ${label} under ${max} characters`).optional());

export const requiredText = (max: number, label: string) =>
  z
    .string(`Enter the ${label}`)
    .trim()
    .min(1, `Enter the ${label}`)
    .max(max, `Keep the ${label} under ${max} characters`);

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

export const id = (what: string) => z.uuid(`Unknown ${what}`);

/** "09:30" -> 570 minutes after midnight; "24:00" is allowed as the end of a day. */
export const timeOfDay = (label: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, `Enter the ${label} as HH:MM`)
    .transform((value) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5)));

export function minutesToTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
