import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { practitioners } from "@/lib/db/schema";
import { loadReport, reportPeriods } from "@/lib/billing/report";
import { reportCsv } from "@/lib/billing/report-csv";
import { storeMonthlySummary } from "@/lib/billing/store";
import { createBooking, createClient, createClinic, createService } from "./job-fixtures";

/** /dashboard/reports and its CSV: twelve ended months, per-practitioner figures, one clinic's data only. */

const now = new Date("2026-11-15T12:00:00Z");

async function clinicWithHistory(name: string, priceMinor: number) {
  const { clinic, practitioner } = await createClinic({ name });
  const [second] = await db.insert(practitioners).values({ clinicId: clinic.id, name: "Blake Young" }).returning();
  const service = await createService(clinic.id, `${name}, Treatment`, priceMinor);
  const client = await createClient(clinic.id, "Casey Client");
  const book = (practitionerId: string, startsAt: string, status: "completed" | "no_show" | "cancelled") =>
    createBooking({
      clinicId: clinic.id,
      practitionerId,
      serviceId: service.id,
      clientId: client.id,
      startsAt,
      status,
      priceMinor,
    });
  await book(practitioner.id, "2026-10-05T09:00:00Z", "completed");
  await book(practitioner.id, "2026-10-06T09:00:00Z", "no_show");
  await book(second.id, "2026-10-07T09:00:00Z", "completed");
  await book(second.id, "2026-10-08T09:00:00Z", "cancelled");
  await book(second.id, "2025-11-03T09:00:00Z", "completed"); // the oldest month shown
  await book(second.id, "2025-10-27T10:00:00Z", "completed"); // thirteen months back: not shown
  await book(second.id, "2026-11-02T09:00:00Z", "completed"); // this month, still running: not shown
  for (const period of ["2025-11", "2026-10"]) await storeMonthlySummary(clinic.id, period, now);
  return { clinic, practitioner, second };
}

describe("reports", () => {
  it("covers the twelve months that have ended, oldest first", () => {
    const periods = reportPeriods("Europe/London", now);
    expect(periods).toHaveLength(12);
    expect([periods[0], periods[11]]).toEqual(["2025-11", "2026-10"]);
    // 1 Nov 00:30 in Tokyo is still October in London: Tokyo's report already includes October.
    expect(reportPeriods("Asia/Tokyo", new Date("2026-10-31T15:30:00Z")).at(-1)).toBe("2026-10");
    expect(reportPeriods("Europe/London", new Date("2026-10-31T15:30:00Z")).at(-1)).toBe("2026-09");
  });

  it("shows each month's summary and each practitioner's figures, from this clinic only", async () => {
    const mine = await clinicWithHistory("Riverside", 5000);
    await clinicWithHistory("Elsewhere", 9900);
    const report = await loadReport(mine.clinic, now);

    expect(report.months.map((m) => m.period)).toEqual(reportPeriods("Europe/London", now));
    const october = report.months.at(-1)!.summary!;
    expect(october).toMatchObject({ revenueMinor: 10000, bookingsTotal: 4, completed: 2, noShows: 1, cancelled: 1 });
    expect(report.months[0].summary).toMatchObject({ revenueMinor: 5000, bookingsTotal: 1 });
    expect(report.months.slice(1, -1).every((m) => m.summary === null)).toBe(true);

    expect(report.practitioners).toEqual([
      {
        practitionerId: mine.second.id,
        name: "Blake Young",
        bookings: 3,
        completed: 2,
        noShows: 0,
        cancelled: 1,
        revenueMinor: 10000,
      },
      {
        practitionerId: mine.practitioner.id,
        name: "Dr Alex Morgan",
        bookings: 2,
        completed: 1,
        noShows: 1,
        cancelled: 0,
        revenueMinor: 5000,
      },
    ]);
  });

  it("writes the months as CSV: money in major units, blank months, quoted and formula-safe text", async () => {
    const mine = await clinicWithHistory("=HYPERLINK(1)", 5000);
    const csv = reportCsv((await loadReport(mine.clinic, now)).months);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "month,currency,revenue,bookings,completed,no_shows,cancelled,no_show_rate,new_clients,returning_clients,top_treatment",
    );
    expect(lines).toHaveLength(13);
    // The client first came in October 2025, so in November 2025 they are already returning.
    expect(lines[1]).toBe(`2025-11,GBP,50.00,1,1,0,0,0.0000,0,1,"'=HYPERLINK(1), Treatment"`);
    expect(lines[2]).toBe("2025-12,,,,,,,,,,");
    expect(lines[12]).toBe(`2026-10,GBP,100.00,4,2,1,1,0.3333,0,1,"'=HYPERLINK(1), Treatment"`);
    expect(csv).not.toContain("Elsewhere");
  });
});
