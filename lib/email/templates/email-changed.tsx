import { Button, Text } from "@react-email/components";
import { ACCOUNT_CLOCK, formatClinicDateTime } from "@/lib/format/clinic-time";
import { EmailLayout, buttonStyle, textStyle } from "./layout";

export type EmailChangedProps = {
  recipientName: string;
  /** The address the account signs in with now. */
  newEmail: string;
  /** When the change was confirmed, ISO 8601. */
  changedAt: string;
  /** The link that gives the account back to this address (none when the account is gone). */
  undo?: { url: string; validDays: number };
};

export function EmailChangedEmail(props: EmailChangedProps) {
  return (
    <EmailLayout
      preview="Your Slotline sign-in address changed"
      heading="Your sign-in address changed"
      footer="You are receiving this because this address was the sign-in address of a Slotline account until now. It gets no more emails about the account."
    >
      <Text style={textStyle}>
        {`Hi ${props.recipientName}, your Slotline account signs in with ${props.newEmail} from now on, instead of this address. The change was confirmed from that address on ${formatClinicDateTime(new Date(props.changedAt), ACCOUNT_CLOCK)}.`}
      </Text>
      {props.undo ? (
        <>
          <Text style={textStyle}>
            {
              "If you made this change, there is nothing to do. If you did not, someone else may have your password: follow the link below to give the account back to this address. It signs the account out everywhere and sends you a link to set a new password."
            }
          </Text>
          <Button href={props.undo.url} style={buttonStyle}>
            Give my account back
          </Button>
          <Text style={{ ...textStyle, margin: "16px 0 0" }}>
            {`The link works once, for ${props.undo.validDays} days: ${props.undo.url}`}
          </Text>
        </>
      ) : (
        <Text style={textStyle}>{"The account has been deleted since, so there is nothing to give back."}</Text>
      )}
    </EmailLayout>
  );
}

EmailChangedEmail.PreviewProps = {
  recipientName: "Olivia Owner",
  newEmail: "olivia@new.example.com",
  changedAt: "2026-03-02T09:30:00Z",
  undo: { url: "http://localhost:3000/undo-email-change?token=preview-token", validDays: 7 },
} satisfies EmailChangedProps;
