import { Button, Text } from "@react-email/components";
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

export type AppointmentReminderProps = AppointmentDetails & {
  /** The client's signed self-service cancel link; omitted when none can be made. */
  cancelUrl?: string | null;
};

export function AppointmentReminderEmail(props: AppointmentReminderProps) {
  const when = formatAppointmentTime(props);
  return (
    <EmailLayout
      preview={`Reminder: ${props.serviceName} tomorrow, ${when}`}
      heading="See you tomorrow"
      footer={`You are receiving this because you have an appointment with ${props.clinicName}.`}
    >
      <Text
        style={textStyle}
      >{`Hi ${props.clientName}, this is a reminder of your appointment at ${props.clinicName}.`}</Text>
      <DetailLine label="Treatment" value={props.serviceName} />
      <DetailLine label="With" value={props.practitionerName} />
      <DetailLine label="When" value={when} />
      <ClinicContactLines {...props} />
      {props.cancelUrl ? (
        <Button href={props.cancelUrl} style={{ ...buttonStyle, marginTop: 16 }}>
          Need to cancel?
        </Button>
      ) : null}
    </EmailLayout>
  );
}

AppointmentReminderEmail.PreviewProps = {
  ...PREVIEW_APPOINTMENT,
  cancelUrl: null,
} satisfies AppointmentReminderProps;
