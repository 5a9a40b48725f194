import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import DevEmailsPage from "@/app/dev/emails/page";
import { sendEmail } from "@/lib/email/send";
import { BookingConfirmationEmail } from "@/lib/email/templates/booking-confirmation";

afterEach(() => {
  vi.unstubAllEnvs();
});

const send = (subject: string, key: string) =>
  sendEmail({
    to: "dev@example.com",
    subject,
    idempotencyKey: key,
    react: createElement(BookingConfirmationEmail, { ...BookingConfirmationEmail.PreviewProps, clientName: subject }),
  });

describe("/dev/emails", () => {
  it("lists the outbox newest first, each email's html in a sandboxed iframe srcDoc", async () => {
    await send("First email", "dev-page:1");
    await send("Second email", "dev-page:2");
    const html = renderToStaticMarkup(await DevEmailsPage());
    expect(html.indexOf("Second email")).toBeGreaterThan(-1);
    expect(html.indexOf("Second email")).toBeLessThan(html.indexOf("First email"));
    expect(html).toMatch(/<iframe[^>]*srcDoc="[^"]*Hi Second email/i);
    expect(html).toContain('sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"');
    expect(html).toContain("dev-page:2");
  });

  it("offers each attachment for download", async () => {
    await sendEmail({
      to: "dev@example.com",
      subject: "With a calendar file",
      idempotencyKey: "dev-page:attachment",
      react: createElement(BookingConfirmationEmail, BookingConfirmationEmail.PreviewProps),
      attachments: [
        { filename: "appointment.ics", contentType: "text/calendar; charset=utf-8", content: "BEGIN:VCALENDAR" },
      ],
    });
    const html = renderToStaticMarkup(await DevEmailsPage());
    const base64 = Buffer.from("BEGIN:VCALENDAR").toString("base64");
    expect(html).toMatch(
      new RegExp(
        `<a download="appointment.ics" href="data:text/calendar;charset=utf-8;base64,${base64}"[^>]*>appointment.ics</a>`,
      ),
    );
  });

  it("is a 404 in production", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const error = await DevEmailsPage().catch((caught: unknown) => caught);
    expect((error as { digest?: string }).digest).toMatch(/^NEXT_HTTP_ERROR_FALLBACK;404/);
  });
});
