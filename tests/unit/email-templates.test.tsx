import { createElement } from "react";
import { render, toPlainText } from "@react-email/render";
import { describe, expect, it } from "vitest";
import { renderEmail } from "@/lib/email/render";
import { AppointmentReminderEmail } from "@/lib/email/templates/appointment-reminder";
import { BillingSummaryEmail } from "@/lib/email/templates/billing-summary";
import { BookingCancellationEmail } from "@/lib/email/templates/booking-cancellation";
import { BookingConfirmationEmail } from "@/lib/email/templates/booking-confirmation";
import { BookingRescheduledEmail } from "@/lib/email/templates/booking-rescheduled";
import { EmailChangeEmail } from "@/lib/email/templates/email-change";
import { EmailChangedEmail } from "@/lib/email/templates/email-changed";
import { EmailVerificationEmail } from "@/lib/email/templates/email-verification";
import { PasswordResetEmail } from "@/lib/email/templates/password-reset";
import { TeamInvitationEmail } from "@/lib/email/templates/team-invitation";

/** The comments React's streaming renderer leaves for hydration; an email is never hydrated. */
const withoutStreamMarkers = (html: string) => html.replace(/<!--(\$|\/\$|html|head|body| )-->/g, "");

describe("renderEmail", () => {
  it.each([
    ["AppointmentReminderEmail", AppointmentReminderEmail],
    ["BillingSummaryEmail", BillingSummaryEmail],
    ["BookingCancellationEmail", BookingCancellationEmail],
    ["BookingConfirmationEmail", BookingConfirmationEmail],
    ["BookingRescheduledEmail", BookingRescheduledEmail],
    ["EmailChangeEmail", EmailChangeEmail],
    ["EmailChangedEmail", EmailChangedEmail],
    ["EmailVerificationEmail", EmailVerificationEmail],
    ["PasswordResetEmail", PasswordResetEmail],
    ["TeamInvitationEmail", TeamInvitationEmail],
  ] as const)("gives %s exactly React Email's HTML (less React's stream markers) and plain text", async (_, Email) => {
    const element = createElement(Email as (props: object) => React.ReactElement, Email.PreviewProps);
    const ours = await renderEmail(element);
    const theirs = await render(element);
    expect(ours.html).toBe(withoutStreamMarkers(theirs));
    expect(ours.html).not.toBe(theirs); // the markers were there to remove: the comparison compared something
    expect(ours.text).toBe(toPlainText(theirs));
    expect(ours.text).toBe(await render(element, { plainText: true }));
  });
});

describe("email templates (React Email, rendered to html and text)", () => {
  it("shows the appointment in the clinic's zone, across a clock change", async () => {
    const props = BookingConfirmationEmail.PreviewProps;
    const summer = await renderEmail(<BookingConfirmationEmail {...props} startsAt="2026-03-30T09:30:00Z" />);
    const winter = await renderEmail(<BookingConfirmationEmail {...props} startsAt="2026-03-27T09:30:00Z" />);
    expect(summer.text).toContain("When: Monday, 30 March 2026 at 10:30 BST");
    expect(winter.text).toContain("When: Friday, 27 March 2026 at 09:30 GMT");
    const sydney = await renderEmail(
      <BookingConfirmationEmail {...props} startsAt="2026-03-30T09:30:00Z" timeZone="Australia/Sydney" />,
    );
    expect(sydney.text).toContain("Monday, 30 March 2026 at 20:30 GMT+11");
  });

  it("writes times the clinic's way: 12-hour for an en-US clinic, and en-GB for an unknown locale", async () => {
    const props = BookingConfirmationEmail.PreviewProps;
    const us = await renderEmail(
      <BookingConfirmationEmail
        {...props}
        startsAt="2026-03-30T13:30:00Z"
        timeZone="America/New_York"
        locale="en-US"
      />,
    );
    expect(us.text).toMatch(/When: Monday, March 30, 2026 at 9:30\sAM EDT/);
    const unknown = await renderEmail(
      <BookingConfirmationEmail {...props} startsAt="2026-03-27T09:30:00Z" locale="xx-nope" />,
    );
    expect(unknown.text).toContain("When: Friday, 27 March 2026 at 09:30 GMT");
  });

  it("carries the cancel link and notice in the confirmation, and falls back without one", async () => {
    const props = BookingConfirmationEmail.PreviewProps;
    const withLink = await renderEmail(
      <BookingConfirmationEmail
        {...props}
        cancelUrl="https://book.example.com/book/x/manage/t0k"
        cancellationNoticeHours={48}
      />,
    );
    expect(withLink.html).toContain('href="https://book.example.com/book/x/manage/t0k"');
    expect(withLink.text).toContain("cancel up to 48 hours before");
    expect(withLink.text).toContain("https://book.example.com/book/x/manage/t0k");
    const without = await renderEmail(<BookingConfirmationEmail {...props} cancelUrl={null} />);
    expect(without.html).not.toContain("manage/");
    expect(without.text).toContain("To change or cancel, please contact Riverside Physio.");
  });

  it("links the confirmation to Google Calendar and Outlook with the appointment's UTC times, percent-encoded", async () => {
    // 23:30 on Saturday 24 October in London (BST) to 00:15 GMT: the night the clocks go back.
    const { html, text } = await renderEmail(
      <BookingConfirmationEmail
        {...BookingConfirmationEmail.PreviewProps}
        serviceName="Massage & stretch; 45 min"
        clinicName="Riverside Physio, Unit 2"
        startsAt="2026-10-24T22:30:00Z"
        endsAt="2026-10-25T00:15:00Z"
        cancelUrl="https://book.example.com/book/x/manage/t0k"
      />,
    );
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1].replaceAll("&amp;", "&"));
    const google = hrefs.find((href) => href.startsWith("https://calendar.google.com/calendar/render?"))!;
    const outlook = hrefs.find((href) => href.startsWith("https://outlook.live.com/calendar/0/deeplink/compose?"))!;
    expect(text).toContain("Add to Google Calendar");
    expect(text).toContain("Add to Outlook");

    const googleQuery = new URL(google).searchParams;
    expect(googleQuery.get("action")).toBe("TEMPLATE");
    expect(googleQuery.get("dates")).toBe("20261024T223000Z/20261025T001500Z");
    expect(googleQuery.get("text")).toBe("Massage & stretch; 45 min at Riverside Physio, Unit 2");
    expect(googleQuery.get("location")).toBe("Riverside Physio, Unit 2, 12 River Lane, London SE1 2AB");
    expect(googleQuery.get("details")).toBe(
      "With Dr Alex Morgan.\nManage or cancel your booking: https://book.example.com/book/x/manage/t0k",
    );

    const outlookQuery = new URL(outlook).searchParams;
    expect(outlookQuery.get("startdt")).toBe("2026-10-24T22:30:00Z");
    expect(outlookQuery.get("enddt")).toBe("2026-10-25T00:15:00Z");
    expect(outlookQuery.get("subject")).toBe("Massage & stretch; 45 min at Riverside Physio, Unit 2");
    expect(outlookQuery.get("location")).toBe("Riverside Physio, Unit 2, 12 River Lane, London SE1 2AB");
    expect(outlookQuery.get("body")).toContain("https://book.example.com/book/x/manage/t0k");

    // Percent-encoded, spaces as %20: a "+" would show as a plus in some calendars, and a raw "&" would cut the title.
    for (const href of [google, outlook]) expect(href).not.toMatch(/\+| [^ ]|[?&](text|subject)=[^&]*[;,]/);
    expect(google).toContain("text=Massage%20%26%20stretch%3B%2045%20min%20at%20Riverside%20Physio%2C%20Unit%202");
    expect(google).toContain("dates=20261024T223000Z%2F20261025T001500Z");
    expect(outlook).toContain("startdt=2026-10-24T22%3A30%3A00Z&enddt=2026-10-25T00%3A15%3A00Z");
  });

  it("renders the reminder with the treatment and practitioner", async () => {
    const { text } = await renderEmail(<AppointmentReminderEmail {...AppointmentReminderEmail.PreviewProps} />);
    expect(text).toContain("Treatment: Sports massage (45 min)");
    expect(text).toContain("With: Dr Alex Morgan");
  });

  it("tells the client the clinic's address (on one line) and phone when it has them, and leaves the lines out when not", async () => {
    const contact = { clinicPhone: "+44 20 7946 0000", clinicAddress: "12 River Lane,\nLondon SE1 2AB\n" };
    const emails = {
      confirmation: <BookingConfirmationEmail {...BookingConfirmationEmail.PreviewProps} {...contact} />,
      reminder: <AppointmentReminderEmail {...AppointmentReminderEmail.PreviewProps} {...contact} />,
      cancellation: <BookingCancellationEmail {...BookingCancellationEmail.PreviewProps} {...contact} />,
      move: <BookingRescheduledEmail {...BookingRescheduledEmail.PreviewProps} {...contact} />,
    };
    for (const [name, element] of Object.entries(emails)) {
      const { html, text } = await renderEmail(element);
      expect(text, name).toContain("Address: 12 River Lane, London SE1 2AB");
      expect(text, name).toContain("Phone: +44 20 7946 0000");
      expect(html, name).toContain("+44 20 7946 0000");
    }

    // Unset in settings (null), or missing from details a job checkpointed before clinics had them.
    for (const unset of [
      { clinicPhone: null, clinicAddress: null },
      { clinicPhone: undefined, clinicAddress: undefined },
    ]) {
      const { text } = await renderEmail(
        <AppointmentReminderEmail {...AppointmentReminderEmail.PreviewProps} {...unset} />,
      );
      expect(text).not.toContain("Address:");
      expect(text).not.toContain("Phone:");
      expect(text).toContain("When: Monday, 30 March 2026 at 10:30 BST");
    }

    // An owner's copy of a cancellation does not tell the clinic its own number.
    const owner = await renderEmail(
      <BookingCancellationEmail {...BookingCancellationEmail.PreviewProps} {...contact} audience="owner" />,
    );
    expect(owner.text).not.toContain("Phone:");
    expect(owner.text).not.toContain("Address:");
  });

  it("renders the billing summary's figures, change against last month and top treatments", async () => {
    const props = BillingSummaryEmail.PreviewProps;
    const { html, text } = await renderEmail(<BillingSummaryEmail {...props} />);
    expect(text).toContain("Revenue (completed): £1,925.00 (+12.6%)");
    expect(text).toContain("Bookings: 42 (+10.5%)");
    expect(text).toContain("No-show rate: 7.9%");
    expect(text).toContain("Clients: 9 new, 21 returning");
    expect(text).toContain("1. Sports massage: 20 bookings, £1,100.00");
    expect(html).toContain('href="http://localhost:3000/dashboard/billing"');
    const firstMonth = await renderEmail(
      <BillingSummaryEmail {...props} summary={{ ...props.summary, previous: null, topTreatments: [] }} />,
    );
    expect(firstMonth.text).toContain("(no previous month)");
    expect(firstMonth.text).not.toContain("Top treatments");
  });

  it("invites to the team with the role, the link and its expiry in the clinic's zone", async () => {
    const props = TeamInvitationEmail.PreviewProps;
    const { html, text } = await renderEmail(<TeamInvitationEmail {...props} />);
    expect(text).toContain("Olivia Owner invited you to join Riverside Physio on Slotline as staff");
    expect(html).toContain('href="http://localhost:3000/invite/preview-token"');
    expect(text).toContain("The link works until Monday, 6 April 2026 at 10:30 BST.");
    const admin = await renderEmail(<TeamInvitationEmail {...props} role="admin" inviterName={null} />);
    expect(admin.text).toContain("The team invited you to join Riverside Physio on Slotline as an admin");
  });

  it("gets the same text from the HTML render as from a second, plain-text render (what sendEmail relies on)", async () => {
    for (const element of [
      <BookingConfirmationEmail key="c" {...BookingConfirmationEmail.PreviewProps} />,
      <AppointmentReminderEmail key="r" {...AppointmentReminderEmail.PreviewProps} />,
      <BookingCancellationEmail key="x" {...BookingCancellationEmail.PreviewProps} />,
      <BillingSummaryEmail key="b" {...BillingSummaryEmail.PreviewProps} />,
      <TeamInvitationEmail key="t" {...TeamInvitationEmail.PreviewProps} />,
      <BookingRescheduledEmail key="m" {...BookingRescheduledEmail.PreviewProps} includesReminder />,
    ]) {
      expect(toPlainText(await render(element))).toBe(await render(element, { plainText: true }));
    }
  });
});
