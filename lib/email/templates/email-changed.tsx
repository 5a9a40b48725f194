import { Text } from "@react-email/components";
import { formatClinicDateTime } from "@/lib/format/clinic-time";
import { EmailLayout, textStyle } from "./layout";

export type EmailChangedProps = {
  recipientName: string;
  /** The address the account signs in with now. */
  newEmail: string;
  /** When the change was confirmed, ISO 8601. */
  changedAt: string;
};

/** An account is not a clinic's: the moment is stated in UTC, with its name. */
const UTC_CLOCK = { timeZone: "UTC", locale: "en-GB" };

export function EmailChangedEmail(props: EmailChangedProps) {
  return (
    <EmailLayout
      preview="Your Slotline sign-in address changed"
      heading="Your sign-in address changed"
      footer="You are receiving this because this address was the sign-in address of a Slotline account until now. It gets no more emails about the account."
    >
      <Text style={textStyle}>
        {`Hi ${props.recipientName}, your Slotline account signs in with ${props.newEmail} from now on, instead of this address. The change was confirmed from that address on ${formatClinicDateTime(new Date(props.changedAt), UTC_CLOCK)}.`}
      </Text>
      <Text style={textStyle}>
        {
          "If you made this change, there is nothing to do. If you did not, someone else may have your password: reply to this email at once, so the account can be given back to you."
        }
      </Text>
    </EmailLayout>
  );
}

EmailChangedEmail.PreviewProps = {
  recipientName: "Olivia Owner",
  newEmail: "olivia@new.example.com",
  changedAt: "2026-03-02T09:30:00Z",
} satisfies EmailChangedProps;
