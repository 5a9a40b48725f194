/** An email attachment's calendar file as its lines, long lines unfolded. */
export function icsLines(file: { content: string }): string[] {
  return Buffer.from(file.content, "base64").toString("utf8").replace(/\r\n /g, "").split("\r\n");
}

/** An instant as a calendar file writes it in UTC: 2026-10-26T10:00:00.000Z is 20261026T100000Z. */
export function icsUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}
