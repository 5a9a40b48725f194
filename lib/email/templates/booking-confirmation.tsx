import { Button, Link, Section, Text } from "@react-email/components";
import { addToCalendarLinks, appointmentEvent } from "../appointment-event";
import { formatAppointmentTime } from "../format";
import type { AppointmentReminderProps } from "./appointment-reminder";
import { ClinicContactLines, DetailLine, EmailLayout, PREVIEW_APPOINTMENT, buttonStyle, textStyle } from "./layout";

/** The reminder's appointment details, plus the price and the cancellation notice. */
export type BookingConfirmationProps = AppointmentReminderProps & {
  price: string;
  cancellationNoticeHours: number;
  /** Booked less than 24 h ahead: no separate reminder follows, so this email says what it would have. */
  includesReminder?: boolean;
};

export function BookingConfirmationEmail(props: BookingConfirmationProps) {
  const when = formatAppointmentTime(props);
  const calendar = addToCalendarLinks(appointmentEvent(props, props.cancelUrl));
  return (
    <EmailLayout
      preview={`${props.serviceName} at ${props.clinicName}, ${when}`}
      heading="Your appointment is booked"
      footer={`You are receiving this because you booked an appointment with ${props.clinicName}.`}
    >
      <Text style={textStyle}>{`Hi ${props.clientName}, thanks for booking with ${props.clinicName}.`}</Text>
      {props.includesReminder ? (
        <Text style={textStyle}>
          {`Your appointment is less than 24 hours away, so this email is also your reminder: see you ${when} with ${props.practitionerName}. No separate reminder will follow.`}
        </Text>
      ) : null}
      <Section style={{ margin: "16px 0" }}>
        <DetailLine label="Treatment" value={props.serviceName} />
        <DetailLine label="With" value={props.practitionerName} />
        <DetailLine label="When" value={when} />
        <DetailLine label="Price" value={props.price} />
        <ClinicContactLines {...props} />
      </Section>
      <Text style={{ ...textStyle, margin: "0 0 4px" }}>
        <Link href={calendar.google}>Add to Google Calendar</Link>
        {" · "}
        <Link href={calendar.outlook}>Add to Outlook</Link>
      </Text>
      <Text style={{ ...textStyle, fontSize: 12 }}>
        For Apple Calendar and other apps, open the calendar file attached to this email.
      </Text>
      {props.cancelUrl ? (
        <Section style={{ margin: "20px 0 0" }}>
          <Text style={textStyle}>
            {`Can't make it? You can cancel up to ${props.cancellationNoticeHours} hours before your appointment.`}
          </Text>
          <Button href={props.cancelUrl} style={buttonStyle}>
            Cancel appointment
          </Button>
          <Text style={{ ...textStyle, fontSize: 12, marginTop: 12 }}>
            Or open this link: <Link href={props.cancelUrl}>{props.cancelUrl}</Link>
          </Text>
        </Section>
      ) : (
        <Text style={textStyle}>{`To change or cancel, please contact ${props.clinicName}.`}</Text>
      )}
    </EmailLayout>
  );
}

BookingConfirmationEmail.PreviewProps = {
  ...PREVIEW_APPOINTMENT,
  price: "£55.00",
  cancelUrl: "http://localhost:3000/book/riverside/cancel/example-token",
  cancellationNoticeHours: 24,
} satisfies BookingConfirmationProps;
