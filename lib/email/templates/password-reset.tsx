import { Button, Text } from "@react-email/components";
import { EmailLayout, buttonStyle, textStyle } from "./layout";

export type PasswordResetProps = {
  recipientName: string;
  resetUrl: string;
  /** How long the link works, in minutes. */
  validMinutes: number;
};

export function PasswordResetEmail(props: PasswordResetProps) {
  return (
    <EmailLayout
      preview="Choose a new password for Slotline"
      heading="Choose a new password"
      footer="You are receiving this because someone asked to reset the password of the Slotline account with this address. If it was not you, ignore this email: your password stays as it is."
    >
      <Text style={textStyle}>
        {`Hi ${props.recipientName}, follow the link below to choose a new password. Choosing one signs you out on every device where you are signed in.`}
      </Text>
      <Button href={props.resetUrl} style={buttonStyle}>
        Choose a new password
      </Button>
      <Text style={{ ...textStyle, margin: "16px 0 0" }}>
        {`The link works once, for ${props.validMinutes} minutes: ${props.resetUrl}`}
      </Text>
    </EmailLayout>
  );
}

PasswordResetEmail.PreviewProps = {
  recipientName: "Olivia Owner",
  resetUrl: "http://localhost:3000/reset-password?token=preview-token",
  validMinutes: 60,
} satisfies PasswordResetProps;
