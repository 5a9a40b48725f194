import { createElement } from "react";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { emailOutbox } from "@/lib/db/schema";
import { listOutbox } from "@/lib/email/outbox";
import { EmailInputError, sendEmail } from "@/lib/email/send";
import { AppointmentReminderEmail } from "@/lib/email/templates/appointment-reminder";
import { resetEnv } from "@/lib/env";

const reminder = (clientName: string) =>
  createElement(AppointmentReminderEmail, {
    ...AppointmentReminderEmail.PreviewProps,
    clientName,
    cancelUrl: "http://localhost:3000/c/tok",
  });

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnv();
});

describe("sendEmail without RESEND_API_KEY (the outbox)", () => {
  it("stores the rendered html and plain text, and a duplicate send is a no-op", async () => {
    const first = await sendEmail({
      to: "kim@example.com",
      subject: "Reminder",
      idempotencyKey: "outbox-test:1",
      react: reminder("Kim"),
    });
    const second = await sendEmail({
      to: "kim@example.com",
      subject: "Reminder (again)",
      idempotencyKey: "outbox-test:1",
      react: reminder("Kim 2"),
    });
    expect(first).toEqual({ via: "outbox", created: true });
    expect(second).toEqual({ via: "outbox", created: false });

    const rows = await db.select().from(emailOutbox);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      recipient: "kim@example.com",
      subject: "Reminder",
      idempotencyKey: "outbox-test:1",
    });
    expect(rows[0].html).toContain("Hi Kim, this is a reminder");
    expect(rows[0].html).toContain('href="http://localhost:3000/c/tok"');
    expect(rows[0].text).toContain("Hi Kim, this is a reminder");
    expect(rows[0].text).toContain("When: Monday, 30 March 2026 at 10:30 BST");
    expect(rows[0].text).not.toMatch(/<\/?[a-z]/);
  });

  it("keeps attachments in base64 beside the email, and a repeat of the key changes nothing", async () => {
    const calendar = "BEGIN:VCALENDAR\r\nSUMMARY:Café, massage\r\nEND:VCALENDAR\r\n";
    const bytes = Uint8Array.from([0, 255, 10, 13]);
    const first = await sendEmail({
      to: "att@example.com",
      subject: "With files",
      idempotencyKey: "outbox-attachments:1",
      react: reminder("Att"),
      attachments: [
        { filename: "appointment.ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH", content: calendar },
        { filename: "raw.bin", contentType: "application/octet-stream", content: bytes },
      ],
    });
    const repeat = await sendEmail({
      to: "att@example.com",
      subject: "With files",
      idempotencyKey: "outbox-attachments:1",
      react: reminder("Att"),
      attachments: [{ filename: "other.ics", contentType: "text/calendar", content: "changed" }],
    });
    expect([first, repeat]).toEqual([
      { via: "outbox", created: true },
      { via: "outbox", created: false },
    ]);

    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "outbox-attachments:1"));
    expect(row.attachments.map(({ filename, contentType }) => [filename, contentType])).toEqual([
      ["appointment.ics", "text/calendar; charset=utf-8; method=PUBLISH"],
      ["raw.bin", "application/octet-stream"],
    ]);
    expect(Buffer.from(row.attachments[0].content, "base64").toString("utf8")).toBe(calendar);
    expect([...Buffer.from(row.attachments[1].content, "base64")]).toEqual([0, 255, 10, 13]);

    await sendEmail({
      to: "none@example.com",
      subject: "No files",
      idempotencyKey: "outbox-attachments:2",
      react: reminder("N"),
    });
    const [plain] = await db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "outbox-attachments:2"));
    expect(plain.attachments).toEqual([]);
  });

  it("lists the outbox newest first", async () => {
    await sendEmail({ to: "a@example.com", subject: "older", idempotencyKey: "order:1", react: reminder("A") });
    await sendEmail({ to: "b@example.com", subject: "newer", idempotencyKey: "order:2", react: reminder("B") });
    const subjects = (await listOutbox()).map((row) => row.subject);
    expect(subjects.filter((subject) => subject === "newer" || subject === "older")).toEqual(["newer", "older"]);
  });

  it.each([
    [{ to: "not-an-address" }, "to must be an email address"],
    [{ subject: "  " }, "subject must not be empty"],
    [{ idempotencyKey: "" }, "idempotencyKey must not be empty"],
    [{ attachments: [{ filename: " ", contentType: "text/calendar", content: "x" }] }, "filename must not be empty"],
  ])("refuses bad input %j with a clear error and writes nothing", async (override, expected) => {
    const before = (await db.select().from(emailOutbox)).length;
    const bad = {
      to: "ok@example.com",
      subject: "Hello",
      idempotencyKey: `bad:${expected}`,
      react: reminder("X"),
      ...override,
    };
    await expect(sendEmail(bad)).rejects.toThrow(EmailInputError);
    await expect(sendEmail(bad)).rejects.toThrow(expected);
    expect(await db.select().from(emailOutbox)).toHaveLength(before);
  });

  it("in production still keeps every email in the outbox and warns once, naming RESEND_API_KEY", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("CRON_SECRET", "a-production-cron-secret");
    vi.stubEnv("BETTER_AUTH_SECRET", "a-production-auth-secret-that-is-long-enough");
    vi.stubEnv("APP_URL", "https://clinic.example");
    resetEnv();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await sendEmail({ to: "p1@example.com", subject: "prod 1", idempotencyKey: "prod:1", react: reminder("P1") });
      await sendEmail({ to: "p2@example.com", subject: "prod 2", idempotencyKey: "prod:2", react: reminder("P2") });
      const prodRows = (await db.select().from(emailOutbox)).filter((row) => row.idempotencyKey.startsWith("prod:"));
      expect(prodRows).toHaveLength(2);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toContain("RESEND_API_KEY");
    } finally {
      warn.mockRestore();
    }
  });
});
