/**
 * Wall-clock formatting for emails. Appointment times are always shown in the
 * clinic's zone (where the client has to be), with the zone's short name so a
 * client reading the email elsewhere is not misled.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export function formatAppointmentTime(startsAt: string | Date, timeZone: string, locale = "en-GB"): string {
  // Building an Intl formatter costs far more than using one: one per locale and zone, kept.
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
    formats.set(key, format);
  }
  return format.format(new Date(startsAt));
}
