import { googleCalendarUrl, outlookCalendarUrl } from "@/lib/calendar/add-to-calendar";
import { addressOnOneLine } from "@/lib/clinic/contact";
import type { CalendarEvent } from "@/lib/calendar/ics";
import type { AppointmentDetails } from "./templates/layout";

/**
 * The appointment as the client's calendar holds it. The .ics attachments and the
 * add-to-calendar links both start here, so every calendar gets the same title, times,
 * notes and place.
 */
export function appointmentEvent(appointment: AppointmentDetails, manageUrl?: string | null): CalendarEvent {
  const notes = [`With ${appointment.practitionerName}.`];
  if (manageUrl) notes.push(`Manage or cancel your booking: ${manageUrl}`);
  return {
    title: `${appointment.serviceName} at ${appointment.clinicName}`,
    start: new Date(appointment.startsAt),
    end: new Date(appointment.endsAt),
    description: notes.join("\n"),
    // The address when the clinic gave one: calendars turn it into a map and travel time.
    location: appointment.clinicAddress
      ? `${appointment.clinicName}, ${addressOnOneLine(appointment.clinicAddress)}`
      : appointment.clinicName,
  };
}

/** The confirmation's "Add to Google Calendar" and "Add to Outlook" links. */
export function addToCalendarLinks(event: CalendarEvent) {
  return { google: googleCalendarUrl(event), outlook: outlookCalendarUrl(event) };
}
