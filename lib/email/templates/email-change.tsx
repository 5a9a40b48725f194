import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle, textStyle } from "./layout";

export type EmailChangeProps = {
  recipientName: string;
  /** The address the account signs in with until the link is opened. */
  currentEmail: string;
  confirmUrl: string;
  /** How long the link works, in hours. */
  validHours: number;
};

export function EmailChangeEmail(props: EmailChangeProps) {
  return (
    <EmailLayout
      preview="Confirm your new email address for Slotline"
      heading="Confirm your new email address"
      footer="You are receiving this because someone signed in to Slotline asked to move their account to this address. If it was not you, ignore this email: nothing changes without the link."
    >
      <Text style={textStyle}>
        {`Hi ${props.recipientName}, follow the link below to sign in to Slotline with this address from now on, instead of ${props.currentEmail}.`}
      </Text>
      <Button href={props.confirmUrl} style={buttonStyle}>
        Use this address
      </Button>
      <Text style={{ ...textStyle, margin: "16px 0 0" }}>
        {`The link works once, for ${props.validHours} hours: ${props.confirmUrl}`}
      </Text>
    </EmailLayout>
  );
}

EmailChangeEmail.PreviewProps = {
  recipientName: "Olivia Owner",
  currentEmail: "olivia@old.example.com",
  confirmUrl: "http://localhost:3000/confirm-email-change?token=preview-token",
  validHours: 24,
} satisfies EmailChangeProps;
