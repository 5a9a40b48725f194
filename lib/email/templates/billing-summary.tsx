import { Button, Section, Text } from "@react-email/components";
import { formatChange, formatRate } from "@/lib/billing/change";
import { formatMoney } from "@/lib/billing/money";
import { formatPeriod } from "@/lib/billing/period";
import type { BillingSummary } from "@/lib/db/schema";
import { DetailLine, EmailLayout, buttonStyle, textStyle } from "./layout";

/** The stored row's figures (billing_summaries), as the email shows them. */
export type BillingSummaryFigures = Pick<
  BillingSummary,
  | "period"
  | "currency"
  | "bookingsTotal"
  | "completed"
  | "cancelled"
  | "noShows"
  | "confirmed"
  | "revenueMinor"
  | "noShowRate"
  | "newClients"
  | "returningClients"
  | "topTreatments"
  | "previous"
>;

export type BillingSummaryEmailProps = {
  ownerName: string;
  clinicName: string;
  summary: BillingSummaryFigures;
  dashboardUrl: string;
};

export function BillingSummaryEmail({ ownerName, clinicName, summary, dashboardUrl }: BillingSummaryEmailProps) {
  const month = formatPeriod(summary.period);
  const money = (minor: number) => formatMoney(minor, summary.currency);
  const previous = summary.previous;
  return (
    <EmailLayout
      preview={`${clinicName} in ${month}: ${money(summary.revenueMinor)} from ${summary.completed} completed appointments`}
      heading={`${clinicName}: ${month}`}
      footer={`Sent to the owners of ${clinicName} on the first of each month.`}
    >
      <Text style={textStyle}>{`Hi ${ownerName}, here is how ${month} went.`}</Text>
      <Section style={{ margin: "16px 0" }}>
        <DetailLine
          label="Revenue (completed)"
          value={`${money(summary.revenueMinor)} (${formatChange(summary.revenueMinor, previous?.revenueMinor)})`}
        />
        <DetailLine
          label="Bookings"
          value={`${summary.bookingsTotal} (${formatChange(summary.bookingsTotal, previous?.bookingsTotal)})`}
        />
        <DetailLine
          label="By status"
          value={`${summary.completed} completed, ${summary.noShows} no-shows, ${summary.cancelled} cancelled, ${summary.confirmed} still open`}
        />
        <DetailLine label="No-show rate" value={formatRate(summary.noShowRate)} />
        <DetailLine label="Clients" value={`${summary.newClients} new, ${summary.returningClients} returning`} />
      </Section>
      {summary.topTreatments.length > 0 ? (
        <Section style={{ margin: "0 0 16px" }}>
          <Text style={{ ...textStyle, fontWeight: 600 }}>Top treatments</Text>
          {summary.topTreatments.map((treatment, index) => (
            <Text key={treatment.serviceId} style={{ ...textStyle, margin: "0 0 4px" }}>
              {`${index + 1}. ${treatment.name}: ${treatment.count} bookings, ${money(treatment.revenueMinor)}`}
            </Text>
          ))}
        </Section>
      ) : null}
      <Button href={dashboardUrl} style={buttonStyle}>
        See all summaries
      </Button>
    </EmailLayout>
  );
}

BillingSummaryEmail.PreviewProps = {
  ownerName: "Alex",
  clinicName: "Riverside Physio",
  dashboardUrl: "http://localhost:3000/dashboard/billing",
  summary: {
    period: "2026-03",
    currency: "GBP",
    bookingsTotal: 42,
    completed: 35,
    cancelled: 4,
    noShows: 3,
    confirmed: 0,
    revenueMinor: 192500,
    noShowRate: 3 / 38,
    newClients: 9,
    returningClients: 21,
    topTreatments: [{ serviceId: "s1", name: "Sports massage", count: 20, revenueMinor: 110000 }],
    previous: { bookingsTotal: 38, revenueMinor: 171000, completed: 31 },
  },
} satisfies BillingSummaryEmailProps;
