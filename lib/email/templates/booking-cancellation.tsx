import { Text } from "@react-email/components";
import { formatAppointmentTime } from "../format";
import { AppointmentLines, EmailLayout, PREVIEW_APPOINTMENT, textStyle, type AppointmentDetails } from "./layout";

/** One cancelled appointment, told to its client or to one of the clinic's owners. */
export type BookingCancellationProps = AppointmentDetails & {
  audience: "client" | "owner";
  recipientName: string;
  cancelledBy: "client" | "clinic";
  /** What the side that cancelled wrote (the clinic's message, or the client's reason). */
  reason?: string | null;
  /** For the client: where to book again. For an owner: the dashboard. */
  actionUrl: string;
};

export function BookingCancellationEmail(props: BookingCancellationProps) {
  const when = formatAppointmentTime(props);
  const forClient = props.audience === "client";
  const lead = forClient
    ? props.cancelledBy === "client"
      ? `Hi ${props.recipientName}, your appointment at ${props.clinicName} is cancelled, as you asked.`
      : `Hi ${props.recipientName}, ${props.clinicName} has cancelled your appointment. Sorry for the change of plans.`
    : `Hi ${props.recipientName}, ${props.cancelledBy === "client" ? `${props.clientName} cancelled` : "your clinic cancelled"} this appointment; the slot is free again.`;
  return (
    <EmailLayout
      preview={`Cancelled: ${props.serviceName}, ${when}`}
      heading="Appointment cancelled"
      footer={
        forClient
          ? `You are receiving this because you had an appointment with ${props.clinicName}.`
          : `You are receiving this as an owner of ${props.clinicName}.`
      }
    >
      <Text style={textStyle}>{lead}</Text>
      {props.reason && !(forClient && props.cancelledBy === "client") ? (
        <Text style={textStyle}>
          {forClient
            ? `Message from ${props.clinicName}: ${props.reason}`
            : props.cancelledBy === "client"
              ? `Their reason: ${props.reason}`
              : `Message sent to ${props.clientName}: ${props.reason}`}
        </Text>
      ) : null}
      <AppointmentLines
        appointment={props}
        forClient={forClient}
        action={{ href: props.actionUrl, label: forClient ? "Book another time" : "Open the dashboard" }}
      />
    </EmailLayout>
  );
}

BookingCancellationEmail.PreviewProps = {
  audience: "client",
  recipientName: "Sam Patel",
  cancelledBy: "client",
  ...PREVIEW_APPOINTMENT,
  actionUrl: "http://localhost:3000/book/riverside",
} satisfies BookingCancellationProps;
