import { and, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { bookings, clinics, jobEvents, practitioners, services, users } from "@/lib/db/schema";
import { signUpClinic } from "@/lib/auth/sign-up";
import { BOOKING_HORIZON_DAYS } from "@/lib/booking/create-booking";
import { addDays, localDateOf } from "@/lib/booking/wall-clock";
import {
  hasChromium,
  launchBrowser,
  signInCookie,
  startAppServer,
  type AppServer,
  APP_SERVER_SETUP_TIMEOUT_MS,
} from "./support/app-server";
import { linkIn, waitForEmails } from "./support/emails";

/**
 * The whole product in a real Chromium against a real Next.js server on this file's
 * own database: sign up, set up, book as a client, see it, cancel with the link.
 * SLOTLINE_E2E_SERVER=dev uses `next dev` instead of `next build` + `next start`.
 */

let server: AppServer | undefined;
let browser: Browser | undefined;
let base = "";

const emailsTo = (recipient: string, count: number) => waitForEmails(recipient, count, { timeoutMs: 20_000 });

/** On the booking (or moving) page's month calendar: go to the date's month if needed, then open the day. */
async function pickDay(page: Page, date: string) {
  const utc = new Date(`${date}T00:00:00Z`);
  const dayName = new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
  }).format(utc);
  const monthName = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "long", year: "numeric" }).format(utc);
  await page.getByRole("navigation", { name: /^Days with free times/ }).waitFor();
  if ((await page.getByRole("navigation", { name: `Days with free times, ${monthName}` }).count()) === 0) {
    await page.getByRole("link", { name: `Next month, ${monthName}` }).click();
    await page.getByRole("navigation", { name: `Days with free times, ${monthName}` }).waitFor();
  }
  await page.getByRole("link", { name: `${dayName}, free times` }).click();
  await page.waitForURL(`**date=${date}**`);
  await page.getByRole("heading", { name: /^Free times on/ }).waitFor();
}

describe.skipIf(!hasChromium)("booking flow in Chromium", () => {
  beforeAll(async () => {
    server = await startAppServer();
    base = server.base;
    browser = await launchBrowser();
  }, APP_SERVER_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("signs up, sets up, books as a client, shows it, and cancels with the client's link", async () => {
    const context = await browser!.newContext({ baseURL: base });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);

    // 1. Sign up a clinic.
    await page.goto("/sign-up");
    await page.getByLabel("Clinic name").fill("E2E Physio");
    await page.getByLabel("Booking page address").fill("e2e-physio");
    await page.getByLabel("Time zone").selectOption("Europe/London"); // whatever zone this machine's browser is in
    await page.getByLabel("Your name").fill("Erin Owner");
    await page.getByLabel("Email").fill("erin@example.com");
    await page.getByLabel("Password").fill("erin-password-123");
    await page.getByRole("button", { name: "Create clinic" }).click();
    await page.waitForURL("**/dashboard");
    await page.getByRole("link", { name: "E2E Physio" }).waitFor();
    // A new clinic gets the setup checklist, not "share your booking page" before anything can be booked.
    const checklist = page.getByRole("list", { name: "Setup checklist" });
    await checklist.getByRole("link", { name: "Add a treatment" }).waitFor();
    await checklist.getByRole("link", { name: "Set working hours" }).waitFor();
    expect(await page.getByLabel("Your booking page").inputValue()).toBe(`${base}/book/e2e-physio`);
    expect(await page.getByText("Share your booking page to get some").count()).toBe(0);

    // 1b. Until the owner confirms their address, the dashboard asks them to; the sign-up's
    // kick sent the link, and "Send the link again" sends another.
    const banner = page.getByRole("region", { name: "Unconfirmed account" });
    await banner.getByText("We sent a link to erin@example.com").waitFor();
    await waitForEmails("erin@example.com", 1, { keyPrefix: "email-verification:" });
    await banner.getByRole("button", { name: "Send the link again" }).click();
    await banner.getByRole("status").filter({ hasText: "A new link is on its way to erin@example.com." }).waitFor();
    const confirmations = await waitForEmails("erin@example.com", 2, { keyPrefix: "email-verification:" });
    await page.goto(linkIn(confirmations[1], /https?:\/\/[^\s\])]+\/api\/auth\/verify-email\?[\w.%=&-]+/));
    await page.waitForURL("**/verify-email?account=*");
    await page.getByRole("status").filter({ hasText: "Your email address is confirmed." }).waitFor();
    await page.getByRole("link", { name: "Open your dashboard" }).click();
    await page.waitForURL("**/dashboard");
    await page.getByRole("link", { name: "E2E Physio" }).waitFor();
    expect(await banner.count()).toBe(0);

    // 2. A treatment...
    await page.goto("/dashboard/treatments");
    await page.getByLabel("Name").fill("Deep tissue massage");
    await page.getByLabel("Duration (minutes)").fill("45");
    await page.getByLabel("Price (£)").fill("60");
    await page.getByLabel("Buffer after (minutes)").fill("15");
    await page.getByRole("button", { name: "Add treatment" }).click();
    await page.getByText("Treatment added.").waitFor();
    await page.getByText("45 min + 15 min buffer · £60.00").waitFor();
    // The add form is empty again: a second click cannot add the same treatment twice.
    expect(await page.getByLabel("Name").inputValue()).toBe("");
    expect(await page.getByLabel("Price (£)").inputValue()).toBe("");

    // 3. ...a practitioner with working hours every day.
    await page.goto("/dashboard/practitioners");
    await page.getByLabel("Name").fill("Dr Eve Example");
    await page.getByRole("button", { name: "Add practitioner" }).click();
    await page.getByText("Practitioner added.").waitFor();
    await page.getByRole("link", { name: "Hours & details for Dr Eve Example" }).click();
    await page.waitForURL("**/dashboard/practitioners/*");
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) {
      await page.getByLabel(`${day} start`, { exact: true }).selectOption("09:00");
      await page.getByLabel(`${day} end`, { exact: true }).selectOption("17:00");
    }
    await page.getByRole("button", { name: "Save hours" }).click();
    await page.getByText("Working hours saved.").waitFor();
    // The pickers name times the clinic's way (en-GB: 24 hours), not the browser's.
    await page.reload();
    const shown = await page
      .getByLabel("Monday end", { exact: true })
      .evaluate((select: HTMLSelectElement) => select.selectedOptions[0].textContent);
    expect(shown).toBe("17:00");

    // Set up: the checklist is gone and the empty agenda offers the link to share.
    await page.goto("/dashboard");
    await page.getByText("Share your booking page to get some").waitFor();
    expect(await page.getByRole("list", { name: "Setup checklist" }).count()).toBe(0);

    // The clinic's phone and address, for its clients.
    await page.goto("/dashboard/settings");
    await page.getByLabel("Phone (optional)").fill("+44 20 7946 0111");
    await page.getByLabel("Address (optional)").fill("1 Test Street\nLondon SE1 2AB");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();

    // 4. A client books from the public page, on a day whose 10:00 is outside the clinic's
    // cancellation notice at any hour the test runs (with 24 h notice: the day after
    // tomorrow, since tomorrow's 10:00 is inside it every evening), and inside the horizon.
    const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, "e2e-physio"));
    const daysAhead = Math.ceil(clinic.cancellationNoticeHours / 24) + 1;
    expect(daysAhead).toBeLessThanOrEqual(BOOKING_HORIZON_DAYS);
    const bookingDay = addDays(localDateOf(new Date(), clinic.timeZone), daysAhead);
    const client = await browser!.newContext({ baseURL: base });
    const visitor = await client.newPage();
    visitor.setDefaultTimeout(30_000);
    await visitor.goto("/book/e2e-physio");
    const contact = visitor.getByTestId("clinic-contact");
    await contact.getByText("1 Test Street, London SE1 2AB").waitFor();
    expect(await contact.getByRole("link", { name: "+44 20 7946 0111" }).getAttribute("href")).toBe(
      "tel:+442079460111",
    );
    await visitor.getByLabel("Treatment").selectOption({ label: "Deep tissue massage · 45 min · £60.00" });
    // With JavaScript, choosing the treatment shows its month at once ("Show free days" does it without).
    await visitor.waitForURL((url) => url.searchParams.has("service"));
    await pickDay(visitor, bookingDay);
    // A second client has the same times on screen.
    const rival = await (await browser!.newContext({ baseURL: base })).newPage();
    rival.setDefaultTimeout(30_000);
    await rival.goto(visitor.url());
    await rival.getByText("10:00", { exact: true }).waitFor();

    await visitor.getByText("10:00", { exact: true }).click();
    await visitor.getByLabel("Your name").fill("Casey Client");
    await visitor.getByLabel("Email").fill("casey@example.com");
    await visitor.getByLabel("Anything the clinic should know? (optional)").fill("Stiff neck since Tuesday.");
    await visitor.getByRole("button", { name: "Book appointment" }).click();
    await visitor.waitForURL("**/manage/**");
    await visitor.getByRole("heading", { name: "You're booked" }).waitFor();
    const manageUrl = visitor.url();

    // The rival picks 10:00 too: told it was just taken, shown what is left.
    await rival.getByText("10:00", { exact: true }).click();
    await rival.getByLabel("Your name").fill("Riley Rival");
    await rival.getByLabel("Email").fill("riley@example.com");
    await rival.getByRole("button", { name: "Book appointment" }).click();
    await rival.getByRole("alert").filter({ hasText: "That time was just taken" }).waitFor();
    // The booking holds its practitioner to 11:00 (45 minutes and the 15-minute buffer), and
    // a 09:15 appointment's buffer would run into it.
    await rival.getByText("11:00", { exact: true }).waitFor();
    for (const taken of ["10:00", "10:45", "9:15"]) {
      expect(await rival.getByText(taken, { exact: true }).count()).toBe(0);
    }
    await rival.getByText("9:00", { exact: true }).waitFor();
    await rival.context().close();

    const [booked] = await db.select().from(bookings).where(eq(bookings.clinicId, clinic.id));
    expect(booked).toMatchObject({ status: "confirmed", priceMinor: 6000, clientNote: "Stiff neck since Tuesday." });

    // The confirmation email goes out at once: this server runs no cron and no worker, so
    // only the after() kick of the booking request can have drained the job.
    const [confirmation] = await emailsTo("casey@example.com", 1);
    expect(confirmation.idempotencyKey).toBe(`booking-confirmation:${booked.id}`);
    // The client manages the booking from the email's link: the confirmation page's, without its notice.
    const emailLink = /href="([^"]*\/manage\/[^"]*)"/.exec(confirmation.html)?.[1].replaceAll("&amp;", "&");
    expect(emailLink).toBe(manageUrl.replace("?booked=1", ""));

    // 5. The clinic sees it.
    await page.goto("/dashboard");
    await page.getByText("Casey Client").waitFor();
    await page.getByText("Deep tissue massage · £60.00 · casey@example.com").waitFor();
    await page.getByText("Client's note: Stiff neck since Tuesday.").waitFor();

    // 5b. The front desk takes a phone booking from the week view, through the same booking path.
    await page.goto(`/dashboard?view=week&date=${bookingDay}`);
    const dayLong = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
    }).format(new Date(`${bookingDay}T00:00:00Z`));
    await page.getByRole("link", { name: `+ Book with Dr Eve Example on ${dayLong}` }).click();
    await page.waitForURL("**/dashboard/bookings/new?**");
    await page.getByLabel("Treatment").selectOption({ label: "Deep tissue massage · 45 min · £60.00" });
    await page.getByRole("button", { name: "Show free times" }).click();
    await page.getByText("15:00", { exact: true }).click();
    await page.getByLabel("Client name").fill("Paula Phone");
    await page.getByLabel("Client email").fill("paula@example.com");
    await page.getByRole("button", { name: "Book for the client" }).click();
    await page.waitForURL(`**view=day&date=${bookingDay}**`);
    await page.getByText("Paula Phone").waitFor();
    const phoneBooked = await db
      .select()
      .from(bookings)
      .innerJoin(services, eq(services.id, bookings.serviceId))
      .where(and(eq(bookings.clinicId, clinic.id), eq(services.name, "Deep tissue massage")));
    expect(phoneBooked).toHaveLength(2);

    // 6. The client moves it to the next day with the email's link: the calendar again, then a time.
    await visitor.goto(emailLink!);
    await visitor.getByRole("link", { name: "Move to another time" }).click();
    await visitor.getByRole("heading", { name: "Move your appointment" }).waitFor();
    const newDay = addDays(bookingDay, 1);
    await pickDay(visitor, newDay);
    await visitor.getByText("14:00", { exact: true }).click();
    await visitor.getByRole("button", { name: "Move appointment" }).click();
    await visitor.waitForURL("**moved=1");
    await visitor.getByText("Your appointment has moved.", { exact: false }).waitFor();
    const [moved] = await db.select().from(bookings).where(eq(bookings.id, booked.id));
    expect(localDateOf(moved.startsAt, clinic.timeZone)).toBe(newDay);

    // 7. The client cancels with the email's link.
    await visitor.goto(emailLink!);
    await visitor.getByLabel("Reason (optional)").fill("Change of plans");
    await visitor.getByRole("button", { name: "Cancel appointment" }).click();
    // The page re-renders from the database: the booking now shows as cancelled, with no cancel form.
    await visitor.getByRole("heading", { name: "Appointment cancelled" }).waitFor();
    await visitor.reload();
    await visitor.getByRole("heading", { name: "Appointment cancelled" }).waitFor();
    expect(await visitor.getByRole("button", { name: "Cancel appointment" }).count()).toBe(0);
    // Book again: back to the booking page with the same treatment chosen.
    await visitor.getByRole("link", { name: "Book again at E2E Physio" }).click();
    await visitor.waitForURL(`**/book/e2e-physio?service=${booked.serviceId}`);
    expect(await visitor.getByLabel("Treatment").inputValue()).toBe(booked.serviceId);

    const [cancelled] = await db.select().from(bookings).where(eq(bookings.id, booked.id));
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledBy: "client", cancelReason: "Change of plans" });
    const events = await db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.name, "booking/cancelled")));
    expect(events.map((e) => e.data)).toContainEqual({ bookingId: booked.id, clinicId: clinic.id, by: "client" });

    // Every email the client was owed arrived, once each: the confirmation, the move (with the
    // move's event), the cancellation; no reminder, since each time was still days away.
    const movedEvent = (await db.select().from(jobEvents).where(eq(jobEvents.name, "booking/rescheduled"))).find(
      (event) => (event.data as { bookingId?: string }).bookingId === booked.id,
    );
    expect((await emailsTo("casey@example.com", 3)).map((email) => email.idempotencyKey).sort()).toEqual([
      `booking-cancellation:${booked.id}:client`,
      `booking-confirmation:${booked.id}`,
      `booking-rescheduled:${movedEvent!.id}:client`,
    ]);
    // The owner, confirmed since step 1b, got a copy of the move and of the cancellation.
    const [erin] = await db.select().from(users).where(eq(users.email, "erin@example.com"));
    expect((await emailsTo("erin@example.com", 4)).map((email) => email.idempotencyKey).sort()).toEqual([
      `booking-cancellation:${booked.id}:owner:${erin.id}`,
      `booking-rescheduled:${movedEvent!.id}:owner:${erin.id}`,
      ...confirmations.map((email) => email.idempotencyKey).sort(),
    ]);
    await context.close();
    await client.close();
  }, 150_000);

  it("answers 404 over HTTP when a member of another clinic asks for this clinic's ids", async () => {
    const [clinicA] = await db.select().from(clinics).where(eq(clinics.slug, "e2e-physio"));
    const [treatmentA] = await db.select().from(services).where(eq(services.clinicId, clinicA.id));
    const [practitionerA] = await db.select().from(practitioners).where(eq(practitioners.clinicId, clinicA.id));
    await signUpClinic({
      clinicName: "Other Clinic",
      slug: "other-clinic",
      name: "Olly Other",
      email: "olly@example.com",
      password: "olly-password-123",
    });

    const cookie = await signInCookie(browser!, base, "olly@example.com", "olly-password-123");
    const get = (pathname: string) => fetch(`${base}${pathname}`, { headers: { cookie }, redirect: "manual" });

    expect((await get("/dashboard/treatments")).status).toBe(200);
    expect((await get(`/dashboard/treatments/${treatmentA.id}`)).status).toBe(404);
    expect((await get(`/dashboard/practitioners/${practitionerA.id}`)).status).toBe(404);
    expect((await get("/dashboard/practitioners/not-a-uuid")).status).toBe(404);
    const ownPage = await (await get("/dashboard")).text();
    expect(ownPage).toContain("Other Clinic");
    expect(ownPage).not.toContain("Casey Client");

    // Signed out: the dashboard sends you to sign in; bad input to the auth route is refused.
    const signedOut = await fetch(`${base}/dashboard`, { redirect: "manual" });
    expect([303, 307, 308]).toContain(signedOut.status);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
    const post = (pathname: string, body: unknown) =>
      fetch(`${base}${pathname}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base },
        body: JSON.stringify(body),
      });
    // Sign-in and sign-up exist only as the forms: sign-up also creates the clinic, and
    // sign-in goes through the rate limit (lib/auth/rate-limit.ts).
    expect(
      (await post("/api/auth/sign-in/email", { email: "olly@example.com", password: "olly-password-123" })).status,
    ).toBe(404);
    expect(
      (await post("/api/auth/sign-up/email", { email: "x@example.com", password: "long-enough-password", name: "X" }))
        .status,
    ).toBe(404);
    expect((await fetch(`${base}/book/no-such-clinic`)).status).toBe(404);
  }, 60_000);
});
