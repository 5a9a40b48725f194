/**
 * Wall-clock formatting for emails. Appointment times are always shown in the
 * clinic's zone (where the client has to be), with the zone's short name so a
 * client reading the email elsewhere is not misled.
 */
export function formatAppointmentTime(startsAt: string | Date, timeZone: string, locale = "en-GB"): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(startsAt));
}
