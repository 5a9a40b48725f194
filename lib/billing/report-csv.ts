import { minorUnitDigits } from "./money";
import type { ReportMonth } from "./report";

const HEADER = [
  "month",
  "currency",
  "revenue",
  "bookings",
  "completed",
  "no_shows",
  "cancelled",
  "no_show_rate",
  "new_clients",
  "returning_clients",
  "top_treatment",
];

/** RFC 4180: quote a field that holds a comma, a quote or a line break; neutralise spreadsheet formulas. */
function field(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  // A cell starting with = + - @ runs as a formula in Excel and Sheets (CSV injection).
  if (typeof value === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The months of a report as CSV, oldest first; money in major units ("75.00"), a month not summarised left blank. */
export function reportCsv(months: ReportMonth[]): string {
  const lines = [HEADER.join(",")];
  for (const { period, summary } of months) {
    if (!summary) {
      lines.push([period, ...HEADER.slice(1).map(() => "")].join(","));
      continue;
    }
    const digits = minorUnitDigits(summary.currency);
    lines.push(
      [
        period,
        summary.currency,
        (summary.revenueMinor / 10 ** digits).toFixed(digits),
        summary.bookingsTotal,
        summary.completed,
        summary.noShows,
        summary.cancelled,
        summary.noShowRate === null ? null : summary.noShowRate.toFixed(4),
        summary.newClients,
        summary.returningClients,
        summary.topTreatments[0]?.name ?? null,
      ]
        .map(field)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
