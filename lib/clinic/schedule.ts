import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { defineMemberAction } from "@/lib/auth/action";
import { assertRole, MANAGER_ROLES, type Member } from "@/lib/auth/member";
import { db } from "@/lib/db/client";
import { practitioners, timeOff, workingHours } from "@/lib/db/schema";
import { parseLocalDate, wallClockToInstant } from "@/lib/booking/wall-clock";
import { FieldError, NotFoundError } from "./errors";
import { id, NOTE_MAX, optionalText, timeOfDay, timeToMinutes } from "./form-fields";
import { findPractitioner } from "./practitioners";

/** A practitioner's weekly working hours and time off, both read in the clinic's zone. */

export const WEEKDAYS = [
  [1, "Monday"],
  [2, "Tuesday"],
  [3, "Wednesday"],
  [4, "Thursday"],
  [5, "Friday"],
  [6, "Saturday"],
  [7, "Sunday"],
] as const;

const optionalTime = (label: string) => z.preprocess((v) => (v === "" ? undefined : v), timeOfDay(label).optional());

/** Working ranges a day may have: a morning and an afternoon around lunch, and one more. */
export const RANGES_PER_DAY = 3;

/** The form names of range `range` (1-based) of `weekday`: `start_1`, `end_1`, then `start_1_2`, ... */
export function rangeFields(weekday: number, range: number) {
  const suffix = range === 1 ? "" : `_${range}`;
  return { start: `start_${weekday}${suffix}`, end: `end_${weekday}${suffix}` };
}

const ordinal = (range: number) => (range === 1 ? "" : ` (range ${range})`);

const dayFields = Object.fromEntries(
  WEEKDAYS.flatMap(([day, name]) =>
    Array.from({ length: RANGES_PER_DAY }, (_, i) => {
      const fields = rangeFields(day, i + 1);
      return [
        [fields.start, optionalTime(`${name} start${ordinal(i + 1)}`)],
        [fields.end, optionalTime(`${name} end${ordinal(i + 1)}`)],
      ];
    }).flat(),
  ),
) as Record<string, ReturnType<typeof optionalTime>>;

/**
 * Up to RANGES_PER_DAY windows per weekday as HH:MM (`start_<day>`/`end_<day>`, then
 * `start_<day>_2`, ...); a range with both times empty is not worked. The ranges of a
 * day may not overlap.
 */
export const workingHoursSchema = z
  .object({ practitionerId: id("practitioner"), ...dayFields })
  .superRefine((input, ctx) => {
    const times = input as unknown as Record<string, number | undefined>;
    for (const [day, name] of WEEKDAYS) {
      const ranges: { start: number; end: number; field: string }[] = [];
      for (let range = 1; range <= RANGES_PER_DAY; range++) {
        const fields = rangeFields(day, range);
        const start = times[fields.start];
        const end = times[fields.end];
        if ((start === undefined) !== (end === undefined)) {
          ctx.addIssue({
            code: "custom",
            path: [start === undefined ? fields.start : fields.end],
            message: `Enter both times for ${name}${ordinal(range)}, or neither`,
          });
        } else if (start !== undefined && end !== undefined && start >= end) {
          ctx.addIssue({
            code: "custom",
            path: [fields.end],
            message: `${name}${ordinal(range)} must end after it starts`,
          });
        } else if (start !== undefined && end !== undefined) {
          ranges.push({ start, end, field: fields.start });
        }
      }
      ranges.sort((a, b) => a.start - b.start);
      for (let i = 1; i < ranges.length; i++) {
        if (ranges[i].start < ranges[i - 1].end)
          ctx.addIssue({ code: "custom", path: [ranges[i].field], message: `${name}'s ranges overlap` });
      }
    }
  })
  .transform((input) => ({
    practitionerId: input.practitionerId,
    days: WEEKDAYS.flatMap(([day]) => {
      const times = input as unknown as Record<string, number | undefined>;
      return Array.from({ length: RANGES_PER_DAY }, (_, i) => rangeFields(day, i + 1))
        .flatMap((fields) => {
          const [start, end] = [times[fields.start], times[fields.end]];
          return start !== undefined && end !== undefined
            ? [{ weekday: day as number, startMinute: start, endMinute: end }]
            : [];
        })
        .sort((a, b) => a.startMinute - b.startMinute);
    }),
  }));

/** Replaces the weekly hours in one transaction, so a booking page never sees half of them. */
export async function setWorkingHours(member: Member, input: z.output<typeof workingHoursSchema>) {
  assertRole(member, MANAGER_ROLES);
  return db.transaction(async (tx) => {
    const practitioner = await findPractitioner(member, input.practitionerId, tx);
    await tx.delete(workingHours).where(eq(workingHours.practitionerId, practitioner.id));
    if (input.days.length > 0)
      await tx.insert(workingHours).values(input.days.map((day) => ({ practitionerId: practitioner.id, ...day })));
    return input.days;
  });
}

/** A wall-clock moment in the clinic's zone; `field` names the form field it came from. */
type WallClock = { date: string; minute: number; field?: string };

const localDateTime = (label: string) =>
  z
    .string(`Enter the ${label}`)
    .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, `Enter the ${label} as a date and time`)
    .refine((value) => parseLocalDate(value.slice(0, 10)) !== null, `The ${label} is not a real date`)
    .transform((value): WallClock => ({ date: value.slice(0, 10), minute: timeToMinutes(value.slice(11)) }));

const localDate = (label: string) =>
  z
    .string(`Enter the ${label} date`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${label} date`)
    .refine((value) => parseLocalDate(value) !== null, `The ${label} is not a real date`);

/**
 * Time off from one wall-clock moment to another in the clinic's zone: a date and a time
 * each (the form's date and time pickers: `startsDate`, `startsTime`), or one
 * `YYYY-MM-DDTHH:MM` (`startsAt`) as an API caller may send it. Until 24:00 is the day's end.
 */
export const addTimeOffSchema = z
  .object({
    practitionerId: id("practitioner"),
    startsAt: localDateTime("start").optional(),
    endsAt: localDateTime("end").optional(),
    startsDate: localDate("start").optional(),
    startsTime: timeOfDay("start time").optional(),
    endsDate: localDate("end").optional(),
    endsTime: timeOfDay("end time").optional(),
    reason: optionalText(NOTE_MAX, "reason"),
  })
  .transform((input, ctx) => {
    const moment = (side: "starts" | "ends"): WallClock | null => {
      const at = input[`${side}At`];
      if (at) return { ...at, field: `${side}At` };
      const date = input[`${side}Date`];
      if (date) return { date, minute: input[`${side}Time`] ?? (side === "starts" ? 0 : 1440), field: `${side}Date` };
      const label = side === "starts" ? "start" : "end";
      ctx.addIssue({ code: "custom", path: [`${side}Date`], message: `Enter the ${label} date` });
      return null;
    };
    const startsAt = moment("starts");
    const endsAt = moment("ends");
    if (!startsAt || !endsAt) return z.NEVER;
    return { practitionerId: input.practitionerId, startsAt, endsAt, reason: input.reason };
  });

export async function addTimeOff(member: Member, input: z.output<typeof addTimeOffSchema>) {
  assertRole(member, MANAGER_ROLES);
  const practitioner = await findPractitioner(member, input.practitionerId);
  const startsAt = wallClockToInstant(input.startsAt.date, input.startsAt.minute, member.clinic.timeZone);
  const endsAt = wallClockToInstant(input.endsAt.date, input.endsAt.minute, member.clinic.timeZone);
  // On the field the end came from: the date picker's, or an API caller's endsAt.
  if (endsAt <= startsAt) throw new FieldError(input.endsAt.field ?? "endsAt", "Time off must end after it starts");
  const [row] = await db
    .insert(timeOff)
    .values({ practitionerId: practitioner.id, startsAt, endsAt, reason: input.reason ?? null })
    .returning();
  return row;
}

export const removeTimeOffSchema = z.object({ id: id("time off") });

export async function removeTimeOff(member: Member, input: z.output<typeof removeTimeOffSchema>) {
  assertRole(member, MANAGER_ROLES);
  const ownPractitioners = db
    .select({ id: practitioners.id })
    .from(practitioners)
    .where(eq(practitioners.clinicId, member.clinic.id));
  const [row] = await db
    .delete(timeOff)
    .where(and(eq(timeOff.id, input.id), inArray(timeOff.practitionerId, ownPractitioners)))
    .returning({ id: timeOff.id });
  if (!row) throw new NotFoundError("Time off");
  return row;
}

export const setWorkingHoursAction = defineMemberAction({
  schema: workingHoursSchema,
  roles: MANAGER_ROLES,
  run: setWorkingHours,
  success: "Working hours saved.",
});
export const addTimeOffAction = defineMemberAction({
  schema: addTimeOffSchema,
  roles: MANAGER_ROLES,
  run: addTimeOff,
  success: "Time off added.",
});
export const removeTimeOffAction = defineMemberAction({
  schema: removeTimeOffSchema,
  roles: MANAGER_ROLES,
  run: removeTimeOff,
  success: "Time off removed.",
});
