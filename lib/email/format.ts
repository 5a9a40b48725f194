/**
 * Wall-clock formatting for emails. Appointment times are always shown in the
 * clinic's zone (where the client has to be), with the zone's short name so a
 * client reading the email elsewhere is not misled.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * "Monday 30 March 2026 at 09:30 BST" in an en-GB clinic, "Monday, March 30, 2026 at 9:30 AM EDT"
 * in an en-US one: the clinic's zone and its locale's conventions (clinics.locale).
 */
export function formatAppointmentTime(appointment: {
  startsAt: string | Date;
  timeZone: string;
  locale?: string | null;
}): string {
  const { timeZone } = appointment;
  const locale = supportedLocale(appointment.locale);
  // Building an Intl formatter costs far more than using one: one per locale and zone, kept.
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    const twelveHour = /^h1[12]$/.test(
      new Intl.DateTimeFormat(locale, { hour: "numeric" }).resolvedOptions().hourCycle ?? "",
    );
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: twelveHour ? "numeric" : "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
    formats.set(key, format);
  }
  return format.format(new Date(appointment.startsAt));
}

/** A locale this runtime knows, else en-GB (jobs checkpointed before clinics had one included). */
function supportedLocale(locale: string | null | undefined): string {
  try {
    return locale && Intl.DateTimeFormat.supportedLocalesOf([locale]).length ? locale : "en-GB";
  } catch {
    return "en-GB";
  }
}
