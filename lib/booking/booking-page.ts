import "server-only";
import { z } from "zod";
import { NotFoundError } from "@/lib/clinic/errors";
import type { Clinic } from "@/lib/db/schema";
import { ANY_PRACTITIONER, availableDays, readAvailability, slotsOn, type MovingBooking } from "./availability";
import { BOOKING_HORIZON_DAYS } from "./create-booking";
import { bookingCatalog, findClinicBySlug } from "./public-clinic";
import { firstDayOf, lastDayOf, monthCalendar, monthOf, parseMonth, type MonthCalendar } from "./month-calendar";
import type { Slot } from "./slots";
import { addDays, isClockChangeDay, localDateOf, parseLocalDate } from "./wall-clock";

const searchSchema = z.object({
  service: z.uuid("Choose a treatment").optional(),
  practitioner: z.union([z.uuid(), z.literal(ANY_PRACTITIONER)], "Choose a practitioner").default(ANY_PRACTITIONER),
  date: z
    .string()
    .refine((value) => parseLocalDate(value) !== null, "Choose a date")
    .optional(),
  month: z
    .string()
    .refine((value) => parseMonth(value) !== null, "Choose a month")
    .optional(),
});

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Everything /book/<slug> shows for its query string (?service=&practitioner=&date=&month=):
 * the catalog, the selection, and once a treatment is chosen, the month calendar of days
 * with free slots, the chosen day's slots (the first free day when none is chosen) and
 * the next free day after it. Bad query values become field messages, never a crash;
 * an unknown clinic is NotFound.
 */
export async function loadBookingPage(
  slug: string,
  search: Record<string, string | string[] | undefined>,
  now = new Date(),
  options: { moving?: MovingBooking } = {},
) {
  return loadBookingChoices(await findClinicBySlug(slug), search, now, options);
}

/**
 * The same for a clinic already at hand: the dashboard's phone booking page, which asks
 * for one practitioner (`onePractitioner`: "any" or none becomes the first offered).
 */
export async function loadBookingChoices(
  clinic: Clinic,
  search: Record<string, string | string[] | undefined>,
  now = new Date(),
  options: { moving?: MovingBooking; onePractitioner?: boolean } = {},
) {
  const { onePractitioner, ...availabilityOptions } = options;
  const today = localDateOf(now, clinic.timeZone);
  const lastDay = addDays(today, BOOKING_HORIZON_DAYS);

  const parsed = searchSchema.safeParse({
    service: first(search.service) || undefined,
    practitioner: first(search.practitioner) || undefined,
    date: first(search.date) || undefined,
    month: first(search.month) || undefined,
  });
  const errors: Record<string, string> = {};
  const query = parsed.success
    ? parsed.data
    : { practitioner: ANY_PRACTITIONER, service: undefined, date: undefined, month: undefined };
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] = issue.message;
  // Once a treatment is chosen, only the practitioners who offer it.
  const catalog = await bookingCatalog(clinic.id, query.service);
  if (onePractitioner && query.practitioner === ANY_PRACTITIONER && catalog.practitioners.length > 0)
    query.practitioner = catalog.practitioners[0].id;
  if (query.date && (query.date < today || query.date > lastDay))
    errors.date = `Choose a day between today and ${BOOKING_HORIZON_DAYS} days ahead`;

  let date = query.date ?? today;
  let slots: Slot[] = [];
  let calendar: MonthCalendar | undefined;
  let nextFreeDate: string | undefined;
  if (query.service && Object.keys(errors).length === 0) {
    try {
      // One read for the whole booking horizon; the month, the day and the next free day come from it.
      const availability = await readAvailability(
        clinic,
        { serviceId: query.service, practitionerId: query.practitioner, from: today, to: lastDay },
        { now, ...availabilityOptions },
      );
      const freeIn = (from: string, to: string) =>
        availableDays(availability, from < today ? today : from, to > lastDay ? lastDay : to);
      // The month asked for, else the chosen day's, else the first month with a free day.
      let month = query.month ?? monthOf(date);
      if (month < monthOf(today) || month > monthOf(lastDay)) month = monthOf(today);
      let freeDays = freeIn(firstDayOf(month), lastDayOf(month));
      if (!query.date && !query.month && freeDays.length === 0) {
        const [later] = freeIn(addDays(lastDayOf(month), 1), lastDay);
        if (later) {
          month = monthOf(later);
          freeDays = freeIn(firstDayOf(month), lastDayOf(month));
        }
      }
      // No day chosen: the first free one, in the month shown.
      if (!query.date)
        date = freeDays.find((day) => day >= today) ?? (month === monthOf(today) ? today : firstDayOf(month));
      calendar = monthCalendar(month, { first: today, last: lastDay }, new Set(freeDays));
      ({ slots } = slotsOn(availability, date));
      if (slots.length === 0) [nextFreeDate] = freeIn(addDays(date, 1), lastDay);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      errors[error.message.startsWith("Treatment") ? "service" : "practitioner"] = `${error.message}; choose again`;
    }
  }
  return {
    clinic,
    catalog,
    selection: { service: query.service, practitioner: query.practitioner, date },
    calendar,
    slots,
    nextFreeDate,
    showZoneNames: isClockChangeDay(date, clinic.timeZone),
    errors,
  };
}
