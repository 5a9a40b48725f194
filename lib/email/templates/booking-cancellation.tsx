import { Button, Section, Text } from "@react-email/components";
import { formatAppointmentTime } from "../format";
import {
  ClinicContactLines,
  DetailLine,
  EmailLayout,
  PREVIEW_APPOINTMENT,
  buttonStyle,
  textStyle,
  type AppointmentDetails,
} from "./layout";

/** One cancelled appointment, told to its client or to one of the clinic's owners. */
export type BookingCancellationProps = AppointmentDetails & {
  audience: "client" | "owner";
  recipientName: string;
  cancelledBy: "client" | "clinic";
  /** For the client: where to book again. For an owner: the dashboard. */
  actionUrl: string;
};

export function BookingCancellationEmail(props: BookingCancellationProps) {
  const when = formatAppointmentTime(props.startsAt, props.timeZone);
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
      <Section style={{ margin: "16px 0" }}>
        {forClient ? null : <DetailLine label="Client" value={props.clientName} />}
        <DetailLine label="Treatment" value={props.serviceName} />
        <DetailLine label="With" value={props.practitionerName} />
        <DetailLine label="When" value={when} />
        {/* The client may want to call about it; the owners know their own clinic's number. */}
        {forClient ? <ClinicContactLines {...props} /> : null}
      </Section>
      <Button href={props.actionUrl} style={buttonStyle}>
        {forClient ? "Book another time" : "Open the dashboard"}
      </Button>
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
