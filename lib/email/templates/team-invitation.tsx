import { Button, Text } from "@react-email/components";
import { formatClinicDateTime } from "@/lib/format/clinic-time";
import { ROLE_SUMMARY } from "@/lib/team/roles";
import { EmailLayout, buttonStyle, textStyle } from "./layout";

export type TeamInvitationProps = {
  clinicName: string;
  /** Who sent it; null once their account is gone. */
  inviterName: string | null;
  role: "admin" | "staff";
  acceptUrl: string;
  expiresAt: string;
  /** The clinic's zone and locale, in which the expiry is shown. */
  timeZone: string;
  locale?: string;
};

export function TeamInvitationEmail(props: TeamInvitationProps) {
  const who = props.inviterName ?? "The team";
  return (
    <EmailLayout
      preview={`${who} invited you to join ${props.clinicName} on Slotline`}
      heading={`Join ${props.clinicName}`}
      footer={`You are receiving this because someone at ${props.clinicName} invited this address. If you were not expecting it, ignore this email: nothing happens unless you accept.`}
    >
      <Text style={textStyle}>
        {`${who} invited you to join ${props.clinicName} on Slotline as ${props.role === "admin" ? "an admin" : "staff"}: you will be able to ${ROLE_SUMMARY[props.role]}.`}
      </Text>
      <Button href={props.acceptUrl} style={buttonStyle}>
        Accept the invitation
      </Button>
      <Text style={{ ...textStyle, margin: "16px 0 0" }}>
        {`The link works until ${formatClinicDateTime(new Date(props.expiresAt), props)}. Sign in, or create an account with this email address, to accept.`}
      </Text>
    </EmailLayout>
  );
}

TeamInvitationEmail.PreviewProps = {
  clinicName: "Riverside Physio",
  inviterName: "Olivia Owner",
  role: "staff",
  acceptUrl: "http://localhost:3000/invite/preview-token",
  expiresAt: "2026-04-06T09:30:00Z",
  timeZone: "Europe/London",
} satisfies TeamInvitationProps;
