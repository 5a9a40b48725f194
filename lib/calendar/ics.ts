/**
 * RFC 5545 calendar files for one appointment. Times are written in UTC (`...Z`), so the
 * file needs no VTIMEZONE and every calendar shows the appointment at the right instant in
 * its own zone, on either side of a clock change.
 *
 * Written here rather than taken from npm: `ics` folds lines at 75 characters, not the 75
 * octets RFC 5545 asks for (a clinic called "Clinique Élysée" breaks strict parsers), and
 * `ical-generator`'s current major needs Node 22, above Slotline's Node 20.19 floor.
 */

/** What a calendar shows of an event; the add-to-calendar links carry the same. */
export type CalendarEvent = { title: string; start: Date; end: Date; description: string; location: string };

/** PUBLISH adds (or updates) the event; CANCEL, with the same UID and a higher SEQUENCE, removes it. */
export type IcsMethod = "PUBLISH" | "CANCEL";

export type IcsEvent = CalendarEvent & {
  /** The same for every version of the event: it is how a calendar finds the one to update or remove. */
  uid: string;
  /** Grows with each version; a calendar ignores a version older than the one it holds. */
  sequence: number;
  /** When this version was written (DTSTAMP). */
  stamp: Date;
  organizer: { name: string; email: string };
};

/** A whole VCALENDAR holding the one event, CRLF after every line as RFC 5545 asks. */
export function icsCalendar(event: IcsEvent, method: IcsMethod): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Slotline//Bookings//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${method}`,
    "BEGIN:VEVENT",
    `UID:${escapeText(event.uid)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${icsUtc(event.stamp)}`,
    `DTSTART:${icsUtc(event.start)}`,
    `DTEND:${icsUtc(event.end)}`,
    `SUMMARY:${escapeText(event.title)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `LOCATION:${escapeText(event.location)}`,
    // iTIP (RFC 5546) asks for an ORGANIZER in both PUBLISH and CANCEL.
    `ORGANIZER;CN=${quoteParam(event.organizer.name)}:mailto:${event.organizer.email}`,
    `STATUS:${method === "CANCEL" ? "CANCELLED" : "CONFIRMED"}`,
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

/** An instant as RFC 5545's UTC date-time, `20261025T093000Z`; Google's `dates` takes the same. */
export function icsUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** A TEXT value: backslash, semicolon and comma escaped, every kind of newline as `\n`, other controls dropped. */
export function escapeText(value: string): string {
  return value
    .replace(/[\\;,]/g, (char) => `\\${char}`)
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, "");
}

/** A parameter value, always quoted (a name may hold `,` `;` `:`); a quoted value cannot hold `"` or controls. */
function quoteParam(value: string): string {
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, "")}"`;
}

const MAX_LINE_OCTETS = 75;

/**
 * Splits a content line so that no line is longer than 75 octets of UTF-8, each
 * continuation starting with a space (which counts towards its 75). A character is never
 * split across lines: RFC 5545 asks that its octets stay together.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = utf8Octets(char.codePointAt(0)!);
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function utf8Octets(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}
