import type { ReactNode } from "react";
import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { addressOnOneLine } from "@/lib/clinic/contact";
import { formatAppointmentTime } from "../format";

/** The frame every Slotline email shares; inline styles because mail clients drop <style>. */
export function EmailLayout({
  preview,
  heading,
  footer,
  children,
}: {
  preview: string;
  heading: string;
  footer: string;
  children: ReactNode;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body
        style={{
          backgroundColor: "#f6f7f9",
          fontFamily: "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif",
          margin: 0,
        }}
      >
        <Container
          style={{
            backgroundColor: "#ffffff",
            borderRadius: 8,
            margin: "32px auto",
            maxWidth: 560,
            padding: "32px 28px",
          }}
        >
          <Heading as="h1" style={{ color: "#111827", fontSize: 22, margin: "0 0 16px" }}>
            {heading}
          </Heading>
          {children}
          <Hr style={{ borderColor: "#e5e7eb", margin: "28px 0 12px" }} />
          <Text style={{ color: "#6b7280", fontSize: 12, margin: 0 }}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const textStyle = { color: "#374151", fontSize: 15, lineHeight: "24px", margin: "0 0 12px" } as const;
export const buttonStyle = {
  backgroundColor: "#111827",
  borderRadius: 6,
  color: "#ffffff",
  display: "inline-block",
  fontSize: 14,
  fontWeight: 600,
  padding: "10px 18px",
  textDecoration: "none",
} as const;

/** A two-column "label: value" line that survives plain-text conversion as "Label: value". */
export function DetailLine({ label, value }: { label: string; value: string }) {
  return (
    <Text style={{ ...textStyle, margin: "0 0 6px" }}>
      <strong>{`${label}:`}</strong> {value}
    </Text>
  );
}

/**
 * The appointment's lines and the button under them, in the emails told to the client
 * or to an owner (who also sees the client's name).
 */
export function AppointmentLines({
  appointment,
  forClient,
  whenLabel = "When",
  action,
}: {
  appointment: AppointmentDetails;
  forClient: boolean;
  whenLabel?: string;
  action: { href: string; label: string };
}) {
  return (
    <>
      <Section style={{ margin: "16px 0" }}>
        {forClient ? null : <DetailLine label="Client" value={appointment.clientName} />}
        <DetailLine label="Treatment" value={appointment.serviceName} />
        <DetailLine label="With" value={appointment.practitionerName} />
        <DetailLine label={whenLabel} value={formatAppointmentTime(appointment)} />
        {/* The client may want to call about it; the owners know their own clinic's number. */}
        {forClient ? <ClinicContactLines {...appointment} /> : null}
      </Section>
      <Button href={action.href} style={buttonStyle}>
        {action.label}
      </Button>
    </>
  );
}

/** What every appointment email says about the appointment. */
export type AppointmentDetails = {
  clientName: string;
  clinicName: string;
  serviceName: string;
  practitionerName: string;
  startsAt: string;
  /** Not shown, but a calendar needs it: the .ics files and the add-to-calendar links. */
  endsAt: string;
  timeZone: string;
  /** How to reach the clinic; each is left out when unset. */
  clinicPhone?: string | null;
  clinicAddress?: string | null;
  /** The clinic's locale: "en-GB" shows 09:30, "en-US" 9:30 AM. */
  locale?: string;
};

/** The clinic's phone and address as detail lines, each only when the clinic has set it. */
export function ClinicContactLines({
  clinicPhone,
  clinicAddress,
}: Pick<AppointmentDetails, "clinicPhone" | "clinicAddress">) {
  return (
    <>
      {clinicAddress ? <DetailLine label="Address" value={addressOnOneLine(clinicAddress)} /> : null}
      {clinicPhone ? <DetailLine label="Phone" value={clinicPhone} /> : null}
    </>
  );
}

/** The appointment every template's preview (`/dev/emails`, tests) shows. */
export const PREVIEW_APPOINTMENT = {
  clientName: "Sam Patel",
  clinicName: "Riverside Physio",
  serviceName: "Sports massage (45 min)",
  practitionerName: "Dr Alex Morgan",
  startsAt: "2026-03-30T09:30:00Z",
  endsAt: "2026-03-30T10:15:00Z",
  timeZone: "Europe/London",
  clinicPhone: "+44 20 7946 0000",
  clinicAddress: "12 River Lane\nLondon SE1 2AB",
} satisfies AppointmentDetails;
