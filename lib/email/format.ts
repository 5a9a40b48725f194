import { formatClinicDateTime } from "@/lib/format/clinic-time";

/**
 * When an appointment is, as every email states it: in the clinic's zone (where the client
 * has to be) with the zone's short name, in the clinic's locale ("Monday, 30 March 2026 at
 * 09:30 BST", or "9:30 AM" for en-US).
 */
export function formatAppointmentTime(appointment: {
  startsAt: string | Date;
  timeZone: string;
  locale?: string | null;
}) {
  return formatClinicDateTime(new Date(appointment.startsAt), appointment);
}
