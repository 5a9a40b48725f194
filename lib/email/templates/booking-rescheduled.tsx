import { Text } from "@react-email/components";
import type { MovedBy } from "@/lib/booking/reschedule-booking";
import { formatAppointmentTime } from "../format";
import { AppointmentLines, EmailLayout, PREVIEW_APPOINTMENT, textStyle, type AppointmentDetails } from "./layout";

/** A booking moved to a new time (`startsAt`), told to its client or to one of the clinic's owners. */
export type BookingRescheduledProps = AppointmentDetails & {
  audience: "client" | "owner";
  recipientName: string;
  /** For the client: their manage link. For an owner: the dashboard. */
  actionUrl: string;
  /** The new time is less than 24 hours away: no separate reminder follows, so say so here. */
  includesReminder: boolean;
  /** For an owner: who moved it (the client, unless the front desk did). */
  movedBy?: MovedBy;
};

export function BookingRescheduledEmail(props: BookingRescheduledProps) {
  const when = formatAppointmentTime(props);
  const forClient = props.audience === "client";
  const lead = forClient
    ? `Hi ${props.recipientName}, your appointment at ${props.clinicName} has moved to ${when}.`
    : props.movedBy === "clinic"
      ? `Hi ${props.recipientName}, your clinic moved ${props.clientName}'s appointment to ${when}; the old time is free again.`
      : `Hi ${props.recipientName}, ${props.clientName} moved this appointment to ${when}; the old time is free again.`;
  return (
    <EmailLayout
      preview={`Moved: ${props.serviceName}, ${when}`}
      heading="Appointment moved"
      footer={
        forClient
          ? `You are receiving this because you have an appointment with ${props.clinicName}.`
          : `You are receiving this as an owner of ${props.clinicName}.`
      }
    >
      <Text style={textStyle}>{lead}</Text>
      {forClient && props.includesReminder ? (
        <Text style={textStyle}>It is less than a day away, so this is your reminder too: see you then.</Text>
      ) : null}
      <AppointmentLines
        appointment={props}
        forClient={forClient}
        whenLabel="New time"
        action={{ href: props.actionUrl, label: forClient ? "Manage your appointment" : "Open the dashboard" }}
      />
    </EmailLayout>
  );
}

BookingRescheduledEmail.PreviewProps = {
  audience: "client",
  recipientName: "Sam Patel",
  ...PREVIEW_APPOINTMENT,
  actionUrl: "http://localhost:3000/book/riverside/manage/preview",
  includesReminder: false,
} satisfies BookingRescheduledProps;
