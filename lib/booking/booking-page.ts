import "server-only";
import { z } from "zod";
import { NotFoundError } from "@/lib/clinic/errors";
import { ANY_PRACTITIONER, findFreeSlots } from "./availability";
import { BOOKING_HORIZON_DAYS } from "./create-booking";
import { bookingCatalog, findClinicBySlug } from "./public-clinic";
import type { Slot } from "./slots";
import { addDays, isClockChangeDay, localDateOf, parseLocalDate } from "./wall-clock";

const searchSchema = z.object({
  service: z.uuid("Choose a treatment").optional(),
  practitioner: z.union([z.uuid(), z.literal(ANY_PRACTITIONER)], "Choose a practitioner").default(ANY_PRACTITIONER),
  date: z
    .string()
    .refine((value) => parseLocalDate(value) !== null, "Choose a date")
    .optional(),
});

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Everything /book/<slug> shows for its query string (?service=&practitioner=&date=):
 * the catalog, the selection, and the free slots once a treatment and day are chosen.
 * Bad query values become field messages, never a crash; an unknown clinic is NotFound.
 */
export async function loadBookingPage(
  slug: string,
  search: Record<string, string | string[] | undefined>,
  now = new Date(),
) {
  const clinic = await findClinicBySlug(slug);
  const catalog = await bookingCatalog(clinic.id);
  const today = localDateOf(now, clinic.timeZone);
  const lastDay = addDays(today, BOOKING_HORIZON_DAYS);

  const parsed = searchSchema.safeParse({
    service: first(search.service) || undefined,
    practitioner: first(search.practitioner) || undefined,
    date: first(search.date) || undefined,
  });
  const errors: Record<string, string> = {};
  const query = parsed.success ? parsed.data : { practitioner: ANY_PRACTITIONER, service: undefined, date: undefined };
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] = issue.message;

  const date = query.date ?? today;
  if (date < today || date > lastDay) errors.date = `Choose a day between today and ${BOOKING_HORIZON_DAYS} days ahead`;

  let slots: Slot[] = [];
  if (query.service && !errors.date && parsed.success) {
    try {
      ({ slots } = await findFreeSlots(
        clinic,
        { serviceId: query.service, practitionerId: query.practitioner, date },
        { now },
      ));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      errors[error.message.startsWith("Treatment") ? "service" : "practitioner"] = `${error.message}; choose again`;
    }
  }
  return {
    clinic,
    catalog,
    selection: { service: query.service, practitioner: query.practitioner, date },
    bounds: { today, lastDay },
    slots,
    showZoneNames: isClockChangeDay(date, clinic.timeZone),
    errors,
  };
}
