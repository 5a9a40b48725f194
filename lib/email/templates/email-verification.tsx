import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle, textStyle } from "./layout";

export type EmailVerificationProps = {
  recipientName: string;
  confirmUrl: string;
  /** How long the link works, in hours. */
  validHours: number;
};

export function EmailVerificationEmail(props: EmailVerificationProps) {
  return (
    <EmailLayout
      preview="Confirm your email address for Slotline"
      heading="Confirm your email address"
      footer="You are receiving this because a Slotline account was made with this address. If it was not you, ignore this email: without the confirmation, Slotline sends this address no clinic's summaries or notices."
    >
      <Text style={textStyle}>
        {`Hi ${props.recipientName}, follow the link below to confirm that this address is yours. Until you do, Slotline sends it no monthly billing summaries and no notices of cancelled or moved appointments.`}
      </Text>
      <Button href={props.confirmUrl} style={buttonStyle}>
        Confirm my email address
      </Button>
      <Text style={{ ...textStyle, margin: "16px 0 0" }}>
        {`The link works for ${props.validHours} hours: ${props.confirmUrl}`}
      </Text>
    </EmailLayout>
  );
}

EmailVerificationEmail.PreviewProps = {
  recipientName: "Olivia Owner",
  confirmUrl: "http://localhost:3000/api/auth/verify-email?token=preview-token&callbackURL=%2Fverify-email",
  validHours: 24,
} satisfies EmailVerificationProps;
