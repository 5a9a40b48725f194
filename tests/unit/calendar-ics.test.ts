import { afterAll, describe, expect, it } from "vitest";
import { wallClockToInstant } from "@/lib/booking/wall-clock";
import { escapeText, foldLine, icsCalendar, type IcsEvent } from "@/lib/calendar/ics";
import { bookingCalendarFile, type BookingEmailDetails } from "@/lib/email/booking-emails";

const MINUTE = 60_000;
const event = (overrides: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: "b1@slotline",
  sequence: 0,
  stamp: new Date("2026-10-01T08:00:00Z"),
  start: new Date("2026-10-26T10:00:00Z"),
  end: new Date("2026-10-26T10:45:00Z"),
  title: "Sports massage at Riverside Physio",
  description: "With Dr Alex Morgan.",
  location: "Riverside Physio",
  organizer: { name: "Riverside Physio", email: "bookings@slotline.dev" },
  ...overrides,
});
/** The content lines as a calendar reads them: CRLF-split, folded lines joined again. */
const contentLines = (ics: string) => ics.replace(/\r\n /g, "").split("\r\n").slice(0, -1);
/** Each property's value by name (the last, for a name used twice), its parameters dropped. */
const properties = (ics: string): Record<string, string> =>
  Object.fromEntries(contentLines(ics).map((line) => [line.split(/[;:]/, 1)[0], line.replace(/^[^:]*:/, "")]));
const property = (ics: string, name: string) => properties(ics)[name];

describe("icsCalendar (RFC 5545)", () => {
  it("writes one VEVENT with its times in UTC, CRLF after every line and nothing else", () => {
    const ics = icsCalendar(event(), "PUBLISH");
    expect(contentLines(ics)).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Slotline//Bookings//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "BEGIN:VEVENT",
      "UID:b1@slotline",
      "SEQUENCE:0",
      "DTSTAMP:20261001T080000Z",
      "DTSTART:20261026T100000Z",
      "DTEND:20261026T104500Z",
      "SUMMARY:Sports massage at Riverside Physio",
      "DESCRIPTION:With Dr Alex Morgan.",
      "LOCATION:Riverside Physio",
      'ORGANIZER;CN="Riverside Physio":mailto:bookings@slotline.dev',
      "STATUS:CONFIRMED",
      "TRANSP:OPAQUE",
      "END:VEVENT",
      "END:VCALENDAR",
    ]);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("escapes backslashes, semicolons, commas and every kind of newline in text, and quotes the organizer's name", () => {
    expect(escapeText("a\\b;c,d")).toBe("a\\\\b\\;c\\,d");
    expect(escapeText("one\ntwo\r\nthree\rfour")).toBe("one\\ntwo\\nthree\\nfour");
    expect(escapeText("tab\tstays, bell\u0007 goes")).toBe("tab\tstays\\, bell goes");
    const ics = icsCalendar(
      event({
        title: "Massage; deep, tissue",
        description: "Line one\nC:\\path",
        location: "Riverside, Unit 2; Floor 1",
        organizer: { name: 'Smith, "Jones"; Co: Physio', email: "b@example.com" },
      }),
      "PUBLISH",
    );
    expect(property(ics, "SUMMARY")).toBe("Massage\\; deep\\, tissue");
    expect(property(ics, "DESCRIPTION")).toBe("Line one\\nC:\\\\path");
    expect(property(ics, "LOCATION")).toBe("Riverside\\, Unit 2\\; Floor 1");
    expect(contentLines(ics)).toContain('ORGANIZER;CN="Smith, Jones; Co: Physio":mailto:b@example.com');
  });

  it("folds lines at 75 octets of UTF-8, never inside a character, and unfolds to the same line", () => {
    const ascii = `DESCRIPTION:${"x".repeat(63)}`; // exactly 75 octets: left alone
    expect(foldLine(ascii)).toBe(ascii);
    expect(foldLine(`${ascii}y`)).toBe(`${ascii}\r\n y`);

    const wide = `LOCATION:Clinique Élysée ${"é".repeat(40)} 😀😀😀 ${"漢".repeat(30)}`;
    const folded = foldLine(wide);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(2);
    for (const [index, line] of physical.entries()) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      if (index > 0) expect(line.startsWith(" ")).toBe(true);
      // A split character would leave invalid UTF-8 (U+FFFD) on one side or the other.
      expect(Buffer.from(line).toString("utf8")).toBe(line);
      expect(line).not.toContain("\uFFFD");
    }
    expect(folded.replace(/\r\n /g, "")).toBe(wide);
    // Lines are filled: a break comes only when the next character would not fit.
    expect(Buffer.byteLength(physical[0])).toBeGreaterThan(72);

    const ics = icsCalendar(event({ description: "é".repeat(200) }), "PUBLISH");
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(property(ics, "DESCRIPTION")).toBe("é".repeat(200));
  });
});

describe("bookingCalendarFile", () => {
  const details = (overrides: Partial<BookingEmailDetails> = {}): BookingEmailDetails => ({
    bookingId: "8f0c6a36-6c1e-4f51-9d5e-0d7d1a2b3c4d",
    status: "confirmed",
    startsAt: "2026-10-26T10:00:00.000Z",
    endsAt: "2026-10-26T10:45:00.000Z",
    bookedAt: "2026-10-01T08:00:00.000Z",
    cancelledAt: null,
    clinicName: "Riverside Physio",
    clinicSlug: "riverside",
    timeZone: "Europe/London",
    cancellationNoticeHours: 24,
    serviceName: "Sports massage",
    practitionerName: "Dr Alex Morgan",
    clientName: "Sam Patel",
    clientEmail: "sam@example.com",
    priceMinor: 5500,
    currency: "GBP",
    ...overrides,
  });
  const text = (file: { content: string | Uint8Array }) => String(file.content);

  it("publishes the booking: treatment at clinic, practitioner and manage link, the clinic as the place", () => {
    const file = bookingCalendarFile(details(), "PUBLISH");
    expect(file).toMatchObject({
      filename: "appointment.ics",
      contentType: "text/calendar; charset=utf-8; method=PUBLISH",
    });
    const ics = text(file);
    expect(properties(ics)).toMatchObject({
      METHOD: "PUBLISH",
      UID: "8f0c6a36-6c1e-4f51-9d5e-0d7d1a2b3c4d@slotline",
      SEQUENCE: "0",
      STATUS: "CONFIRMED",
      SUMMARY: "Sports massage at Riverside Physio",
      LOCATION: "Riverside Physio",
      ORGANIZER: "mailto:bookings@slotline.dev",
      // Stamped with the booking's own time, so a retried send posts the same bytes.
      DTSTAMP: "20261001T080000Z",
    });
    expect(property(ics, "DESCRIPTION")).toMatch(
      /^With Dr Alex Morgan\.\\nManage or cancel your booking: http:\/\/localhost:3000\/book\/riverside\/manage\/8f0c6a36-6c1e-4f51-9d5e-0d7d1a2b3c4d\.[\w-]+$/,
    );
    expect(text(bookingCalendarFile(details(), "PUBLISH"))).toBe(ics);
  });

  it("places the event at the clinic's address when it has one", () => {
    const ics = text(bookingCalendarFile(details({ clinicAddress: "12 River Lane\nLondon SE1 2AB" }), "PUBLISH"));
    expect(property(ics, "LOCATION")).toBe("Riverside Physio\\, 12 River Lane\\, London SE1 2AB");
  });

  it("cancels with the same UID, a higher SEQUENCE and STATUS:CANCELLED, stamped when it was cancelled", () => {
    const published = properties(text(bookingCalendarFile(details(), "PUBLISH")));
    const file = bookingCalendarFile(
      details({ status: "cancelled", cancelledAt: "2026-10-20T17:05:09.123Z" }),
      "CANCEL",
    );
    expect(file).toMatchObject({ filename: "cancellation.ics" });
    expect(file.contentType).toBe("text/calendar; charset=utf-8; method=CANCEL");
    const cancelled = properties(text(file));
    expect(cancelled).toMatchObject({
      METHOD: "CANCEL",
      STATUS: "CANCELLED",
      UID: published.UID,
      DTSTART: published.DTSTART,
      DTSTAMP: "20261020T170509Z",
    });
    expect(Number(cancelled.SEQUENCE)).toBeGreaterThan(Number(published.SEQUENCE));
    expect(cancelled.DESCRIPTION).not.toContain("manage");
  });

  it("moves with the same UID, the new time, and a SEQUENCE between the booking's and a later cancellation's", () => {
    const published = properties(text(bookingCalendarFile(details(), "PUBLISH")));
    const moved = properties(
      text(
        bookingCalendarFile(
          details({ startsAt: "2026-10-27T14:00:00.000Z", endsAt: "2026-10-27T14:45:00.000Z" }),
          "PUBLISH",
          new Date("2026-10-19T09:00:00Z"),
        ),
      ),
    );
    const cancelled = properties(
      text(bookingCalendarFile(details({ status: "cancelled", cancelledAt: "2026-10-20T17:05:09.123Z" }), "CANCEL")),
    );
    expect(moved).toMatchObject({ UID: published.UID, DTSTART: "20261027T140000Z", DTSTAMP: "20261019T090000Z" });
    expect(Number(moved.SEQUENCE)).toBeGreaterThan(Number(published.SEQUENCE));
    expect(Number(cancelled.SEQUENCE)).toBeGreaterThan(Number(moved.SEQUENCE));
  });
});

// The server's own zone must not leak into the file: rerun under several process zones.
const originalTz = process.env.TZ;
afterAll(() => {
  process.env.TZ = originalTz;
});

describe.each(["UTC", "Europe/London", "America/Los_Angeles", "Australia/Sydney"])(
  "times across the October clock change in London, with the server in %s",
  (serverZone) => {
    // 2026-10-25: London goes back from BST (UTC+1) to GMT (UTC+0) at 02:00 BST.
    const booking = (date: string, minute: number, minutes: number) => {
      process.env.TZ = serverZone;
      const start = wallClockToInstant(date, minute, "Europe/London");
      return icsCalendar(event({ start, end: new Date(start.getTime() + minutes * MINUTE) }), "PUBLISH");
    };

    it("writes 10:00 London as 09:00Z the Friday before and as 10:00Z the Monday after", () => {
      expect(property(booking("2026-10-23", 10 * 60, 45), "DTSTART")).toBe("20261023T090000Z");
      expect(property(booking("2026-10-26", 10 * 60, 45), "DTSTART")).toBe("20261026T100000Z");
      expect(property(booking("2026-10-26", 10 * 60, 45), "DTEND")).toBe("20261026T104500Z");
    });

    it("keeps a 90-minute appointment 90 minutes long across the repeated hour", () => {
      const ics = booking("2026-10-25", 30, 90); // 00:30 BST, ends 01:00 GMT
      expect(property(ics, "DTSTART")).toBe("20261024T233000Z");
      expect(property(ics, "DTEND")).toBe("20261025T010000Z");
    });
  },
);
