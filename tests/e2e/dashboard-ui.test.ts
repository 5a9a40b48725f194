import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { eq, inArray, sql } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpClinic } from "@/lib/auth/sign-up";
import { addDays, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";
import { db } from "@/lib/db/client";
import { findFreePort } from "@/lib/db/embedded";
import { formatClinicDate, formatLocalDate } from "@/lib/format/clinic-time";
import { bookings, clients, clinics, practitioners, services, timeOff, workingHours } from "@/lib/db/schema";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { CALENDAR_PRACTITIONER_COOKIE } from "@/lib/calendar/range";
import { createBooking, createClient, createService } from "../integration/job-fixtures";
import {
  hasChromium,
  launchBrowser,
  signInCookie,
  startAppServer,
  type AppServer,
  APP_SERVER_SETUP_TIMEOUT_MS,
  signInAs,
} from "./support/app-server";
import { waitForEmails } from "./support/emails";
import { expectNoHorizontalOverflow, saveScreenshot } from "./support/pages";

/**
 * The product as a visitor and a front desk see it, in Chromium against the demo data:
 * the landing page, the day and week calendar (with and without JavaScript), reports with
 * their chart and CSV, the phone-width menu, and no page wider than a 390 px phone.
 * Each main page's screenshot lands in test-results/screenshots/.
 */

const TWELVE_HOUR = { clinicName: "Twelve Hour Clinic", slug: "twelve-hour", name: "Tess", email: "tess@example.com" };
const FAR_ZONE = { clinicName: "Far Zone Clinic", slug: "far-zone", name: "Finn", email: "finn@example.com" };
const PASSWORD = "tess-password-123";

let server: AppServer | undefined;
let browser: Browser | undefined;
let base = "";
let demoState: Awaited<ReturnType<BrowserContext["storageState"]>>;
let weekDate = "";
let usDate = "";
let usServiceId = "";
let usPractitionerId = "";
let wesId = "";

async function newPage(options: { width?: number; signedIn?: boolean; javaScript?: boolean } = {}): Promise<Page> {
  const context = await browser!.newContext({
    baseURL: base,
    viewport: { width: options.width ?? 1280, height: 844 },
    javaScriptEnabled: options.javaScript ?? true,
    ...(options.signedIn ? { storageState: demoState } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  return page;
}

/** A new client of `clinic` booked with Wes Weekview for `serviceId` (£30) at `minutes` past midnight on weekDate. */
async function bookWithWes(clinic: { id: string; timeZone: string }, serviceId: string, name: string, minutes: number) {
  const client = await createClient(clinic.id, name);
  const booking = await createBooking({
    clinicId: clinic.id,
    practitionerId: wesId,
    serviceId,
    clientId: client.id,
    startsAt: wallClockToInstant(weekDate, minutes, clinic.timeZone),
    priceMinor: 3000,
  });
  return { client, booking };
}

describe.skipIf(!hasChromium)("dashboard and pages in Chromium", () => {
  beforeAll(async () => {
    const now = new Date();
    await seedDemo(now);
    const [demo] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    // A practitioner of our own, so the booking below cannot collide with the seeded ones.
    const [wes] = await db.insert(practitioners).values({ clinicId: demo.id, name: "Wes Weekview" }).returning();
    wesId = wes.id;
    const service = await createService(demo.id, "Week check", 4000, 30);
    const wendy = await createClient(demo.id, "Wendy Weekview");
    weekDate = addDays(localDateOf(now, demo.timeZone), 2);
    await createBooking({
      clinicId: demo.id,
      practitionerId: wes.id,
      serviceId: service.id,
      clientId: wendy.id,
      startsAt: wallClockToInstant(weekDate, 10 * 60, demo.timeZone),
      priceMinor: 4000,
    });

    // A clinic in New York that reads times the American way.
    const { clinic: us } = await signUpClinic({ ...TWELVE_HOUR, password: PASSWORD });
    await db
      .update(clinics)
      .set({ locale: "en-US", timeZone: "America/New_York", currency: "USD" })
      .where(eq(clinics.id, us.id));
    const [usPractitioner] = await db.insert(practitioners).values({ clinicId: us.id, name: "Dr Uma" }).returning();
    usPractitionerId = usPractitioner.id;
    const usService = await createService(us.id, "Consult", 9000, 30);
    usServiceId = usService.id;
    await db.insert(workingHours).values(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        practitionerId: usPractitioner.id,
        weekday,
        startMinute: 9 * 60,
        endMinute: 17 * 60,
      })),
    );
    const usClient = await createClient(us.id, "Avery American");
    usDate = addDays(localDateOf(now, "America/New_York"), 1);
    await createBooking({
      clinicId: us.id,
      practitionerId: usPractitioner.id,
      serviceId: usService.id,
      clientId: usClient.id,
      startsAt: wallClockToInstant(usDate, 14 * 60 + 30, "America/New_York"),
      priceMinor: 9000,
      currency: "USD",
    });

    server = await startAppServer();
    base = server.base;
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: base });
    await signInAs(context, DEMO.email, DEMO.password, "/dashboard");
    demoState = await context.storageState();
    await context.close();
  }, APP_SERVER_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the product on the landing page, with a favicon and a title per page", async () => {
    const page = await newPage();
    await page.goto("/");
    expect(await page.title()).toBe("Slotline · Online booking for clinics");
    expect(await page.locator('link[rel="icon"]').first().getAttribute("href")).toContain("/icon.svg");
    expect((await page.request.get("/icon.svg")).headers()["content-type"]).toContain("image/svg+xml");
    const shot = page.getByRole("img", { name: /week view/ });
    await shot.waitFor();
    expect(await shot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await page.getByRole("link", { name: "Book at the demo clinic" }).getAttribute("href")).toBe(
      `/book/${DEMO.slug}`,
    );
    await page.getByText(DEMO.email).waitFor();
    await saveScreenshot(page, "landing");
    await page.goto("/sign-in");
    expect(await page.title()).toBe("Sign in · Slotline");
    await page.context().close();
  }, 120_000);

  it("answers a missing page with its own 404 (in the dashboard, with its menu) and a failed one with a retry", async () => {
    const page = await newPage();
    expect((await page.goto("/no-such-page"))?.status()).toBe(404);
    expect(await page.title()).toBe("Page not found · Slotline");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await page.getByRole("link", { name: "Book at the demo clinic" }).waitFor();
    expect((await page.goto("/book/no-such-clinic"))?.status()).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await page.context().close();

    const desk = await newPage({ signedIn: true });
    const menu = desk.getByRole("navigation", { name: "Dashboard" });
    expect((await desk.goto(`/dashboard/clients/${randomUUID()}`))?.status()).toBe(404);
    await desk.getByRole("heading", { name: "Not found in this clinic" }).waitFor();
    await menu.getByRole("link", { name: "Clients" }).waitFor();

    // The database fails the clients page (its table is away for a moment): the dashboard says so, menu and all.
    await db.execute(sql`alter table clients rename to clients_away`);
    try {
      await desk.goto("/dashboard/clients");
      await desk.getByRole("heading", { name: "Something went wrong" }).waitFor();
      expect(await desk.title()).toBe("Something went wrong · Slotline");
      // The reference is the digest the server logged the error under.
      const reference = await desk.locator("code").innerText();
      expect(reference).toMatch(/^\w+$/);
      expect(server!.output()).toContain(reference);
      await menu.getByRole("link", { name: "Clients" }).waitFor();
    } finally {
      await db.execute(sql`alter table clients_away rename to clients`);
    }
    // Back: "Try again" fetches the page again, in place.
    await desk.getByRole("button", { name: "Try again" }).click();
    await desk.getByRole("heading", { name: "Clients" }).waitFor();
    expect(await desk.getByRole("heading", { name: "Something went wrong" }).count()).toBe(0);
    await desk.context().close();
  }, 120_000);

  it("lets a clinic's own site frame its booking page, where a client books, and no site frame the rest", async () => {
    // The snippet the settings page gives, pasted into the clinic's site: another origin, with the
    // sign-in page in a frame too, for contrast.
    const owner = await newPage({ signedIn: true });
    await owner.goto("/dashboard/settings");
    const snippet = await owner.getByLabel("To show it on your own website, paste this into a page").inputValue();
    expect(snippet).toBe(
      `<iframe src="${base}/book/${DEMO.slug}" title="Book at ${DEMO.clinicName}" style="width:100%;height:1100px;border:0"></iframe>`,
    );
    expect(await owner.getByLabel("Link to share").inputValue()).toBe(`${base}/book/${DEMO.slug}`);
    await owner.context().close();
    const site = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(`<!doctype html><title>Clinic site</title>${snippet.replace("<iframe ", '<iframe name="booking" ')}
        <iframe name="sign-in" src="${base}/sign-in" width="600" height="400"></iframe>`);
    });
    const port = await findFreePort();
    await new Promise<void>((resolve) => site.listen(port, "127.0.0.1", resolve));
    const page = await newPage();
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const booking = page.frameLocator('iframe[name="booking"]');
      await booking.getByLabel("Treatment").waitFor();
      // Framed, the page still books (a server action from inside the frame): the first free time.
      await booking.getByLabel("Treatment").selectOption({ index: 1 });
      await booking
        .getByRole("link", { name: /, free times$/ })
        .first()
        .click();
      await booking.getByRole("heading", { name: /^Free times on/ }).waitFor();
      await booking.locator("fieldset label").first().click();
      await booking.getByLabel("Your name").fill("Fran Framed");
      await booking.getByLabel("Email").fill("fran@example.com");
      await booking.getByRole("button", { name: "Book appointment" }).click();
      await booking.getByRole("heading", { name: "You're booked" }).waitFor();
      const [framed] = await db.select().from(clients).where(eq(clients.email, "fran@example.com"));
      expect(framed).toMatchObject({ name: "Fran Framed" });

      // The sign-in page refuses the frame: Chromium shows its own error page there instead.
      const signIn = page.frames().find((frame) => frame.name() === "sign-in")!;
      await expect.poll(() => signIn.url()).toMatch(/^chrome-error:/);
      expect(await page.frameLocator('iframe[name="sign-in"]').getByLabel("Password").count()).toBe(0);
    } finally {
      await page.context().close();
      await new Promise((resolve) => site.close(resolve));
    }

    // The headers themselves, on a page, a booking page, the API and the home page.
    const headersPage = await newPage();
    const request = headersPage.request;
    for (const path of ["/", "/sign-in", "/dashboard", "/api/cron/drain"]) {
      const headers = (await request.get(path, { maxRedirects: 0 })).headers();
      expect(headers, path).toMatchObject({
        "content-security-policy": "frame-ancestors 'none'",
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
      });
    }
    const bookingHeaders = (await request.get(`/book/${DEMO.slug}`)).headers();
    expect(bookingHeaders).toMatchObject({
      "content-security-policy": "frame-ancestors *",
      "x-content-type-options": "nosniff",
    });
    expect(bookingHeaders["x-frame-options"]).toBeUndefined();
    await headersPage.context().close();
  }, 180_000);

  it("says each sign-in and sign-up problem once, in plain words", async () => {
    const page = await newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(DEMO.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const wrong = page.getByText("That email and password do not match an account.");
    await wrong.waitFor();
    expect(await wrong.count()).toBe(1);

    await page.goto("/sign-up");
    await page.getByLabel("Clinic name").fill("Messages Clinic");
    await page.getByLabel("Booking page address").fill("A!");
    await page.getByRole("button", { name: "Create clinic" }).click();
    await page.getByText("Enter your name").waitFor();
    const slugError = page.getByText(/Use lowercase letters, digits and single dashes/);
    expect(await slugError.textContent()).toBe(
      "Use lowercase letters, digits and single dashes, e.g. riverside-physio",
    );
    expect(await page.getByText(/Enter the your name|Use at least 3 characters/).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it("opens on today's agenda and shows a booking in its practitioner's column of the week", async () => {
    const page = await newPage({ signedIn: true });
    await page.goto("/dashboard");
    await page.getByRole("heading", { name: "Today" }).waitFor();
    for (const name of ["Ben Carter", "Chloe Martin", "Dr Amara Okafor", "Wes Weekview"]) {
      await page.getByRole("region", { name }).waitFor();
    }
    expect(await page.title()).toBe("Calendar · Slotline");
    await saveScreenshot(page, "dashboard-today");

    await page.goto(`/dashboard?view=week&date=${weekDate}`);
    const booking = page.getByTestId("week-appointment").filter({ hasText: "Wendy Weekview" });
    await booking.waitFor();
    expect(await booking.textContent()).toContain("10:00–10:30");
    const column = await booking.evaluate((li) => (li.closest("td") as HTMLTableCellElement).cellIndex);
    const header = page.getByRole("columnheader", { name: "Wes Weekview" });
    expect(await header.evaluate((th: HTMLTableCellElement) => th.cellIndex)).toBe(column);
    const row = await booking.evaluate((li) => li.closest("tr")!.querySelector("th")!.textContent);
    expect(row).toMatch(new RegExp(`\\b${Number(weekDate.slice(8))}\\b`));
    await saveScreenshot(page, "dashboard-week");
    await page.context().close();
  }, 120_000);

  it("shows one practitioner's day, week and Coming up, chosen once, kept by the links and remembered", async () => {
    const page = await newPage({ signedIn: true });
    await page.goto("/dashboard");
    await page.getByRole("region", { name: "Ben Carter" }).waitFor();
    // Choosing submits at once with JavaScript (the "Show" button does it without).
    await page.getByLabel("Whose appointments").selectOption({ label: "Wes Weekview" });
    await page.waitForURL((url) => url.searchParams.get("practitioner") === wesId);
    await page.getByRole("region", { name: "Wes Weekview" }).waitFor();
    expect(await page.getByRole("region", { name: "Ben Carter" }).count()).toBe(0);
    await page.getByText("The next two weeks of Wes Weekview").waitFor();
    const rows = page.getByTestId("appointment");
    await rows.filter({ hasText: "Wendy Weekview" }).waitFor();
    for (const text of await rows.allTextContents()) expect(text).toContain("Wes Weekview");

    // Days and weeks keep the choice; the week has Wes's column only.
    await page.getByRole("link", { name: "Next day" }).click();
    await page.waitForURL((url) => url.searchParams.get("date") !== null);
    expect(new URL(page.url()).searchParams.get("practitioner")).toBe(wesId);
    await page.getByRole("link", { name: "Week", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("view") === "week");
    expect(new URL(page.url()).searchParams.get("practitioner")).toBe(wesId);
    const headers = await page.getByRole("columnheader").allTextContents();
    expect(headers).toEqual(["Day", "Wes Weekview"]);
    expect(await page.getByLabel("Whose appointments").inputValue()).toBe(wesId);

    // The browser remembers the choice: the menu's Calendar link opens on Wes again.
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Calendar" }).click();
    await page.waitForURL((url) => url.pathname === "/dashboard" && !url.searchParams.has("view"));
    await page.getByRole("region", { name: "Wes Weekview" }).waitFor();
    expect(await page.getByRole("region", { name: "Ben Carter" }).count()).toBe(0);
    expect(await page.getByLabel("Whose appointments").inputValue()).toBe(wesId);

    await page.getByLabel("Whose appointments").selectOption({ label: "Everyone" });
    await page.waitForURL((url) => url.searchParams.get("practitioner") === "");
    await page.getByRole("region", { name: "Ben Carter" }).waitFor();
    // "Everyone" is remembered too.
    await page.goto("/dashboard");
    await page.getByRole("region", { name: "Ben Carter" }).waitFor();
    expect(await page.getByLabel("Whose appointments").inputValue()).toBe("");
    await page.goto("/dashboard?view=week");
    await page.getByRole("columnheader", { name: "Ben Carter" }).waitFor();

    // A link to someone who is not this clinic's practitioner says so and shows everyone.
    await page.goto("/dashboard?practitioner=not-a-practitioner");
    await page.getByRole("alert").filter({ hasText: "a practitioner this clinic does not have" }).waitFor();
    await page.getByRole("region", { name: "Ben Carter" }).waitFor();
    await page.context().close();
  }, 120_000);

  it("opens a member who is one of the practitioners on their own column, until they choose everyone", async () => {
    // The demo owner is Wes, for this test: the clinic has their account's email for him.
    await db.update(practitioners).set({ email: DEMO.email.toUpperCase() }).where(eq(practitioners.id, wesId));
    const page = await newPage({ signedIn: true });
    try {
      // The toolbar's links carry Wes's id, and Next prefetches them as soon as they show.
      const prefetched = page.waitForResponse((response) => {
        const url = new URL(response.url());
        return (
          response.request().headers()["next-router-prefetch"] === "1" &&
          url.pathname === "/dashboard" &&
          url.searchParams.get("practitioner") === wesId
        );
      });
      await page.goto("/dashboard");
      await page.getByRole("region", { name: "Wes Weekview" }).waitFor();
      expect(await page.getByRole("region", { name: "Ben Carter" }).count()).toBe(0);
      const chooser = page.getByLabel("Whose appointments");
      expect(await chooser.inputValue()).toBe(wesId);
      expect(await chooser.locator("option:checked").textContent()).toBe("Wes Weekview (you)");
      await page.getByText("The next two weeks of Wes Weekview").waitFor();
      // Opening on his column is not a choice: a prefetch remembers nothing, so one still
      // on its way cannot undo the "Everyone" chosen below. (Chromium stores a response's
      // cookies before it reports the response.)
      await prefetched;
      const cookies = await page.context().cookies();
      expect(cookies.find((cookie) => cookie.name === CALENDAR_PRACTITIONER_COOKIE)).toBeUndefined();

      // "Everyone" is remembered, so the calendar does not fall back to his column.
      await chooser.selectOption({ label: "Everyone" });
      await page.waitForURL((url) => url.searchParams.get("practitioner") === "");
      await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Calendar" }).click();
      await page.waitForURL((url) => url.pathname === "/dashboard" && !url.searchParams.has("practitioner"));
      await page.getByRole("region", { name: "Ben Carter" }).waitFor();
      expect(await page.getByLabel("Whose appointments").inputValue()).toBe("");
    } finally {
      await db.update(practitioners).set({ email: null }).where(eq(practitioners.id, wesId));
      await page.context().close();
    }
  }, 120_000);

  it("finds a client by search or from the calendar, shows their appointments, and corrects their phone", async () => {
    const page = await newPage({ signedIn: true });
    await page.goto("/dashboard");
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Clients" }).click();
    await page.waitForURL("**/dashboard/clients");
    // The demo's returning clients fill more than a page.
    expect(await page.getByTestId("clients").locator("tbody tr").count()).toBe(50);
    await page.getByRole("link", { name: "Next" }).waitFor();
    await page.getByRole("searchbox", { name: "Search clients" }).fill("WEEKVIEW");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL("**/dashboard/clients?q=WEEKVIEW");
    const rows = page.getByTestId("clients").locator("tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Wendy Weekview");
    await saveScreenshot(page, "clients");

    // The same client from her appointment in "Coming up".
    await page.goto("/dashboard");
    await page.getByTestId("appointment").getByRole("link", { name: "Wendy Weekview" }).first().click();
    await page.getByRole("heading", { name: "Wendy Weekview" }).waitFor();
    const history = page.getByTestId("client-appointments");
    expect(await history.locator("tbody tr").count()).toBe(1);
    const visit = await history.locator("tbody tr").first().textContent();
    expect(visit).toContain("Week check");
    expect(visit).toContain("Wes Weekview");
    expect(visit).toContain("10:00–10:30");

    const phone = page.getByLabel("Phone");
    await phone.fill("call me");
    await page.getByRole("button", { name: "Save client" }).click();
    await page.getByText("Enter the phone number with digits, spaces, +, -, ( and ) only").waitFor();
    await phone.fill("+44 20 7946 0999");
    await page.getByLabel("Notes").fill("Allergic to latex.\nPrefers mornings.");
    await page.getByRole("button", { name: "Save client" }).click();
    await page.getByRole("status").filter({ hasText: "Client saved." }).waitFor();
    await saveScreenshot(page, "client");
    await page.reload();
    expect(await page.getByLabel("Notes").inputValue()).toBe("Allergic to latex.\nPrefers mornings.");
    await page.goto("/dashboard/clients?q=7946%200999");
    expect(await page.getByTestId("clients").textContent()).toContain("Wendy Weekview");

    // Booking a client again starts with their details filled in (another client than Wendy,
    // whose one appointment the week tests look for).
    const [demo] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    const rhea = await createClient(demo.id, "Rhea Rebook");
    await db.update(clients).set({ phone: "+44 20 7946 0123" }).where(eq(clients.id, rhea.id));
    await page.goto("/dashboard/clients?q=rebook");
    await page.getByRole("link", { name: "Rhea Rebook" }).click();
    await page.getByRole("link", { name: "Book an appointment" }).click();
    await page.getByRole("heading", { name: "New booking for Rhea Rebook" }).waitFor();
    await page.getByLabel("Practitioner").selectOption({ label: "Dr Amara Okafor" });
    await page.getByLabel("Treatment").selectOption({ label: "Follow-up session · 30 min · £45.00" });
    await page.getByRole("button", { name: "Show free times" }).click();
    await page.waitForURL(/client=/);
    const nextFreeDay = page.getByRole("link", { name: /^Next free day/ });
    if (await nextFreeDay.isVisible()) await nextFreeDay.click();
    await page.locator('input[name="start"]').first().waitFor({ state: "attached" });
    expect(await page.getByLabel("Client name").inputValue()).toBe("Rhea Rebook");
    expect(await page.getByLabel("Client email").inputValue()).toBe(rhea.email);
    expect(await page.getByLabel("Phone (optional)").inputValue()).toBe("+44 20 7946 0123");
    await page.locator('label:has(input[name="start"])').first().click();
    await page.getByRole("button", { name: "Book for the client" }).click();
    await page.waitForURL("**/dashboard?view=day**");
    // The booking joined her record rather than making another client.
    await page.goto(`/dashboard/clients/${rhea.id}`);
    expect(await page.getByTestId("client-appointments").locator("tbody tr").count()).toBe(1);
    expect(await page.getByTestId("client-appointments").textContent()).toContain("Dr Amara Okafor");

    // Erasing her waits until nothing is booked; one with nothing to come is erased.
    await page.getByLabel("I understand this cannot be undone").check();
    await page.getByRole("button", { name: "Erase client" }).click();
    await page.getByText("Rhea Rebook has an appointment to come. Cancel it first, then erase.").waitFor();
    const eve = await createClient(demo.id, "Eve Erase");
    await page.goto(`/dashboard/clients/${eve.id}`);
    await page.getByRole("button", { name: "Erase client" }).click();
    await page.getByText("Tick the box to confirm: erasing cannot be undone").waitFor();
    await page.getByLabel("I understand this cannot be undone").check();
    await page.getByRole("button", { name: "Erase client" }).click();
    await page.getByRole("heading", { name: "Details erased" }).waitFor();
    await page.getByRole("heading", { name: "Erased client" }).waitFor();
    expect(await page.getByRole("link", { name: "Book an appointment" }).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it("lists what is coming up by day, and cancels an appointment only on a second click, with a message for the client", async () => {
    const [demo] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    const service = await createService(demo.id, "Cancel check", 3000, 30);
    const { client: carla, booking } = await bookWithWes(demo, service.id, "Carla Cancel", 15 * 60);
    const page = await newPage({ width: 390, signedIn: true });
    await page.goto("/dashboard");
    // Under its day's heading, as one line: time, client and treatment, practitioner, status.
    const dayName = formatClinicDate(booking.startsAt, { timeZone: demo.timeZone, locale: demo.locale });
    const day = page.getByRole("listitem", { name: dayName, exact: true });
    const row = day.getByTestId("appointment").filter({ hasText: "Carla Cancel" });
    expect(await row.textContent()).toMatch(
      /15:00–15:30.*Carla Cancel · Cancel check · £30\.00 · carla\.cancel.*Wes Weekview.*confirmed/,
    );

    // The first click only opens the form, which says who will be told.
    const confirm = row.getByRole("button", { name: "Cancel appointment" });
    expect(await confirm.isVisible()).toBe(false);
    await row.getByText("Cancel…").click();
    await row.getByText("The client will be emailed that the clinic cancelled").waitFor();
    await row.getByLabel("Message to the client (optional)").fill("Wes is away that day. We will call you.");
    await expectNoHorizontalOverflow(page);
    await saveScreenshot(page, "cancel-appointment-390");
    await page.setViewportSize({ width: 1280, height: 844 });
    await saveScreenshot(page, "cancel-appointment");
    expect((await db.select().from(bookings).where(eq(bookings.id, booking.id)))[0].status).toBe("confirmed");

    await confirm.click();
    await row.getByText("cancelled", { exact: true }).waitFor();
    const [cancelled] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(cancelled).toMatchObject({
      status: "cancelled",
      cancelledBy: "clinic",
      cancelReason: "Wes is away that day. We will call you.",
    });
    const [email] = await waitForEmails(carla.email, 1, { keyPrefix: "booking-cancellation:" });
    expect(email.text).toContain("Message from Demo Clinic: Wes is away that day. We will call you.");
    await page.context().close();

    // Without JavaScript the same two clicks work: the form is a <details> and a plain post.
    const { booking: later } = await bookWithWes(demo, service.id, "Nora Noscript", 16 * 60);
    const plain = await newPage({ signedIn: true, javaScript: false });
    await plain.goto("/dashboard");
    const plainRow = plain.getByTestId("appointment").filter({ hasText: "Nora Noscript" });
    await plainRow.getByText("Cancel…").click();
    await plainRow.getByRole("button", { name: "Cancel appointment" }).click();
    // The page comes back with the appointment cancelled, and no form left on it.
    await plainRow.getByText("cancelled", { exact: true }).waitFor();
    expect(await plainRow.getByText("Cancel…").count()).toBe(0);

    // From the client's page too: an appointment to come has the same form.
    await plain.goto(`/dashboard/clients/${carla.id}`);
    expect(await plain.getByText("Cancel…").count()).toBe(0); // hers is cancelled now
    const { client: cleo } = await bookWithWes(demo, service.id, "Cleo Client", 17 * 60);
    await plain.goto(`/dashboard/clients/${cleo.id}`);
    await plain.getByText("Cancel…").click();
    await plain.getByLabel("Message to the client (optional)").fill("Closed for a training day");
    await plain.getByRole("button", { name: "Cancel appointment" }).click();
    await plain.getByTestId("client-appointments").getByText("by the clinic: Closed for a training day").waitFor();

    // With JavaScript the page shows the cancellation in place, without a reload.
    const { client: cara } = await bookWithWes(demo, service.id, "Cara Client", 17 * 60 + 30);
    const clientPage = await newPage({ signedIn: true });
    await clientPage.goto(`/dashboard/clients/${cara.id}`);
    await clientPage.getByText("Cancel…").click();
    await clientPage.getByRole("button", { name: "Cancel appointment" }).click();
    const appointments = clientPage.getByTestId("client-appointments");
    await appointments.getByText("cancelled", { exact: true }).waitFor();
    expect(await appointments.getByText("Cancel…").count()).toBe(0);
    await clientPage.context().close();
    expect((await db.select().from(bookings).where(eq(bookings.id, later.id)))[0]).toMatchObject({
      status: "cancelled",
      cancelReason: null,
    });
    await plain.context().close();
  }, 120_000);

  it("moves an appointment a client called about to another free time, from Coming up", async () => {
    const [demo] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    const service = await createService(demo.id, "Move check", 3000, 30);
    // Hours for Wes, for this test only, so his days have free times to move to.
    const hours = await db
      .insert(workingHours)
      .values(
        [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ practitionerId: wesId, weekday, startMinute: 540, endMinute: 1080 })),
      )
      .returning();
    try {
      const { client: milo, booking } = await bookWithWes(demo, service.id, "Milo Move", 12 * 60);
      const page = await newPage({ signedIn: true });
      await page.goto("/dashboard");
      await page
        .getByTestId("appointment")
        .filter({ hasText: "Milo Move" })
        .getByRole("link", { name: "Move…" })
        .click();
      await page.getByRole("heading", { name: "Move Milo Move's appointment" }).waitFor();
      // It opens on the appointment's own day, without its own time among the choices.
      await page.getByRole("heading", { name: `Free times on ${formatLocalDate(weekDate, demo.locale)}` }).waitFor();
      expect(await page.getByText("12:00", { exact: true }).count()).toBe(0);
      await saveScreenshot(page, "move-appointment");
      // On a phone the times sit under the month, and nothing is wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await expectNoHorizontalOverflow(page);
      await saveScreenshot(page, "move-appointment-390");
      await page.setViewportSize({ width: 1280, height: 844 });
      await page.getByText("13:30", { exact: true }).click();
      await page.getByRole("button", { name: "Move appointment" }).click();
      await page.waitForURL(
        (url) => url.searchParams.get("view") === "day" && url.searchParams.get("date") === weekDate,
      );
      await page.getByRole("region", { name: "Wes Weekview" }).getByText("13:30–14:00").waitFor();
      const [moved] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
      expect(moved.startsAt).toEqual(wallClockToInstant(weekDate, 13 * 60 + 30, demo.timeZone));
      const [email] = await waitForEmails(milo.email, 1, { keyPrefix: "booking-rescheduled:" });
      expect(email.text).toContain("has moved to");
      await page.context().close();
    } finally {
      await db.delete(workingHours).where(
        inArray(
          workingHours.id,
          hours.map((row) => row.id),
        ),
      );
    }
  }, 120_000);

  it("moves between weeks and days with plain links, without JavaScript", async () => {
    const page = await newPage({ signedIn: true, javaScript: false });
    await page.goto(`/dashboard?view=week&date=${weekDate}`);
    await page.getByText("Wendy Weekview").waitFor();
    await page.getByRole("link", { name: "Next week" }).click();
    await page.waitForURL((url) => url.searchParams.get("date") === addDays(weekDate, 7));
    expect(await page.getByText("Wendy Weekview").count()).toBe(0);
    await page.getByRole("link", { name: "Previous week" }).click();
    await page.waitForURL((url) => url.searchParams.get("date") === weekDate);
    await page.getByText("Wendy Weekview").waitFor();
    await page.getByRole("link", { name: "Day", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("view") === "day");
    await page.getByRole("region", { name: "Wes Weekview" }).getByRole("link", { name: "Wendy Weekview" }).waitFor();
    // One practitioner's day, with the form's own button.
    await page.getByLabel("Whose appointments").selectOption({ label: "Wes Weekview" });
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("practitioner") === wesId);
    expect(await page.getByRole("region").evaluateAll((regions) => regions.map((r) => r.ariaLabel))).toEqual([
      "Wes Weekview",
    ]);

    // The public booking page too: the form's button, then the calendar's plain links.
    await page.goto(`/book/${DEMO.slug}`);
    await page.getByLabel("Treatment").selectOption({ index: 1 });
    await page.getByRole("button", { name: "Show free days" }).click();
    await page.waitForURL((url) => url.searchParams.has("service"));
    const nextMonth = page.getByRole("link", { name: /^Next month/ });
    await nextMonth.click();
    await page.waitForURL((url) => url.searchParams.has("month"));
    const freeDay = page.getByRole("link", { name: /, free times$/ }).first();
    const label = (await freeDay.getAttribute("aria-label"))!;
    await freeDay.click();
    await page.getByRole("link", { name: label }).and(page.locator('[aria-current="date"]')).waitFor();
    await page.getByRole("heading", { name: /^Free times on/ }).waitFor();
    await page.context().close();
  }, 120_000);

  it("adds time off with the date picker, and with the browser's date input without JavaScript", async () => {
    const page = await newPage({ signedIn: true });
    await page.goto(`/dashboard/practitioners/${wesId}`);
    // The picker opens on the clinic's month (London's); the 20th of it, 09:00 to 12:00.
    const day = `${localDateOf(new Date(), "Europe/London").slice(0, 7)}-20`;
    for (const [label, time, timeLabel] of [
      ["From", "09:00", "Start time"],
      ["Until", "12:00", "End time"],
    ]) {
      await page.getByRole("button", { name: `${label}: choose a date` }).click();
      await page.locator(`[data-day="${day}"] button`).click();
      await page.getByRole("button", { name: `${label}: ${formatLocalDate(day, "en-GB")}` }).waitFor();
      await page.getByLabel(timeLabel, { exact: true }).selectOption(time);
    }
    await page.getByRole("button", { name: "Add time off" }).click();
    await page.getByText("Time off added.").waitFor();
    // The add form is empty again, the picker included.
    await page.getByRole("button", { name: "From: choose a date" }).waitFor();
    const timeOffOf = () => db.select().from(timeOff).where(eq(timeOff.practitionerId, wesId));
    expect((await timeOffOf()).map((row) => [row.startsAt, row.endsAt])).toEqual([
      [wallClockToInstant(day, 9 * 60, "Europe/London"), wallClockToInstant(day, 12 * 60, "Europe/London")],
    ]);
    await page.context().close();

    const plain = await newPage({ signedIn: true, javaScript: false });
    await plain.goto(`/dashboard/practitioners/${wesId}`);
    await plain.getByLabel("From", { exact: true }).fill("2030-01-10");
    await plain.getByLabel("Until", { exact: true }).fill("2030-01-11");
    await plain.getByRole("button", { name: "Add time off" }).click();
    await plain.getByText("Time off added.").waitFor();
    expect((await timeOffOf()).map((row) => row.endsAt)).toContainEqual(
      wallClockToInstant("2030-01-12", 0, "Europe/London"),
    );
    await plain.context().close();
  }, 120_000);

  it("marks the clinic's today in the time-off picker, not UTC's", async () => {
    // A clinic where it is another day than in UTC right now: UTC+14 from 10:00 UTC, UTC-11 before 11:00.
    const utcToday = new Date().toISOString().slice(0, 10);
    const zone = ["Pacific/Kiritimati", "Pacific/Pago_Pago"].find(
      (name) => localDateOf(new Date(), name) !== utcToday,
    )!;
    const { clinic: far } = await signUpClinic({ ...FAR_ZONE, password: PASSWORD });
    await db.update(clinics).set({ timeZone: zone }).where(eq(clinics.id, far.id));
    const [finn] = await db.insert(practitioners).values({ clinicId: far.id, name: "Dr Finn" }).returning();

    const context = await browser!.newContext({ baseURL: base });
    const page = await signInAs(context, FAR_ZONE.email, PASSWORD, "/dashboard");
    await page.goto(`/dashboard/practitioners/${finn.id}`);
    await page.getByRole("button", { name: "From: choose a date" }).click();
    const marked = page.locator("[data-today]");
    await marked.waitFor();
    expect(await marked.getAttribute("data-day")).toBe(localDateOf(new Date(), zone));
    await context.close();
  }, 120_000);

  it("shows times the clinic's way: 12-hour for an en-US clinic", async () => {
    const context = await browser!.newContext({ baseURL: base });
    const page = await signInAs(context, TWELVE_HOUR.email, PASSWORD, "/dashboard");
    await page.goto(`/dashboard?view=week&date=${usDate}`);
    const booking = page.getByTestId("week-appointment").filter({ hasText: "Avery American" });
    expect(await booking.textContent()).toMatch(/2:30\s*–\s*3:00\s*PM/);
    expect(await page.getByText("Wendy Weekview").count()).toBe(0);

    // The working-hours pickers too, whatever the browser's own clock.
    await page.goto(`/dashboard/practitioners/${usPractitionerId}`);
    const mondayEnd = await page
      .getByLabel("Monday end", { exact: true })
      .evaluate((select: HTMLSelectElement) => select.selectedOptions[0].textContent);
    expect(mondayEnd).toMatch(/^5:00\sPM$/);

    // Its public booking page too: the times to pick, and the month's days named the American way.
    const dayAfter = addDays(usDate, 1);
    const visitor = await context.newPage();
    await visitor.goto(`/book/${TWELVE_HOUR.slug}?service=${usServiceId}&date=${dayAfter}`);
    await visitor.getByText(/^9:00\sAM$/).waitFor();
    await visitor.getByText(/^2:30\sPM$/).waitFor();
    expect(await visitor.getByText("14:30", { exact: true }).count()).toBe(0);
    // The date picker's weeks start on Sunday in the US (Monday for the en-GB clinics of the other tests).
    // It hides its weekday row from screen readers: each day's name says its weekday.
    const weekdays = await visitor
      .locator("nav thead th")
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("aria-label")));
    expect(weekdays).toEqual(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]);
    const usDay = (date: string) =>
      new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "long", month: "long", day: "numeric" }).format(
        new Date(`${date}T00:00:00Z`),
      );
    const chosen = visitor.getByRole("link", { name: `${usDay(dayAfter)}, free times` });
    expect(await chosen.getAttribute("aria-current")).toBe("date");

    // One tab stop for the month, and arrow keys between its free days; Enter opens the day.
    const freeDays = await visitor.getByRole("link", { name: /, free times$/ }).evaluateAll((links) =>
      links.map((link) => ({
        label: link.getAttribute("aria-label"),
        date: new URL((link as HTMLAnchorElement).href).searchParams.get("date"),
        tabStop: link.tabIndex === 0,
      })),
    );
    expect(freeDays.filter((day) => day.tabStop).map((day) => day.date)).toEqual([dayAfter]);
    const at = freeDays.findIndex((day) => day.date === dayAfter);
    const [key, target] = at < freeDays.length - 1 ? ["ArrowRight", freeDays[at + 1]] : ["ArrowLeft", freeDays[at - 1]];
    await chosen.focus();
    await visitor.keyboard.press(key);
    await visitor.waitForFunction(
      (label) => document.activeElement?.getAttribute("aria-label") === label,
      target.label,
    );
    await visitor.keyboard.press("Enter");
    await visitor.waitForURL((url) => url.searchParams.get("date") === target.date);
    await visitor.getByRole("heading", { name: `Free times on ${formatLocalDate(target.date!, "en-US")}` }).waitFor();
    await context.close();
  }, 120_000);

  it("reports twelve months in a chart, per practitioner, and as a CSV of this clinic only", async () => {
    const page = await newPage({ signedIn: true });
    await page.goto("/dashboard/billing");
    await page.waitForURL("**/dashboard/reports");
    expect(await page.title()).toBe("Reports · Slotline");
    await page.getByTestId("revenue-chart").waitFor();
    expect(await page.getByTestId("revenue-bar").count()).toBe(12);
    const figures = page.getByTestId("practitioner-figures");
    for (const name of ["Ben Carter", "Chloe Martin", "Dr Amara Okafor"]) {
      await figures.getByRole("rowheader", { name }).waitFor();
    }
    await saveScreenshot(page, "reports");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^demo-clinic-report-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv$/);
    const csv = fs
      .readFileSync((await download.path())!, "utf8")
      .trimEnd()
      .split("\r\n");
    expect(csv[0]).toMatch(/^month,currency,revenue,bookings,/);
    expect(csv).toHaveLength(13);
    for (const line of csv.slice(1)) expect(line).toMatch(/^\d{4}-\d{2},GBP,\d+\.\d{2},[1-9]\d*,/);
    await page.context().close();

    // Another clinic's owner downloads their own (empty) months, none of the demo's figures.
    const cookie = await signInCookie(browser!, base, TWELVE_HOUR.email, PASSWORD);
    const response = await fetch(`${base}/dashboard/reports/csv`, { headers: { cookie } });
    expect(response.headers.get("content-type")).toContain("text/csv");
    const theirs = (await response.text()).trimEnd().split("\r\n");
    expect(theirs).toHaveLength(13);
    for (const line of theirs.slice(1)) expect(line).toMatch(/^\d{4}-\d{2},{10}$/);
    const signedOut = await fetch(`${base}/dashboard/reports/csv`, { redirect: "manual" });
    expect(signedOut.headers.get("location")).toContain("/sign-in");
  }, 120_000);

  it("keeps the dashboard's header on one row from a tablet to a wide screen, with the clinic's name whole", async () => {
    for (const width of [768, 1024, 1279, 1280, 1440]) {
      const page = await newPage({ width, signedIn: true });
      await page.goto("/dashboard");
      await expectNoHorizontalOverflow(page);
      const header = page.locator("header");
      expect((await header.boundingBox())!.height, `${width} px`).toBeLessThan(80);
      const name = header.getByRole("link", { name: "Demo Clinic", exact: true });
      const shown = await name.evaluate((link) => ({ needs: link.scrollWidth, has: link.clientWidth }));
      expect(shown.needs, `${width} px`).toBeLessThanOrEqual(shown.has);
      // The whole row where it fits; the menu where it does not.
      const wide = width >= 1280;
      expect(await header.getByRole("link", { name: "Reports" }).isVisible(), `${width} px`).toBe(wide);
      expect(await header.getByRole("button", { name: "Open menu" }).isVisible(), `${width} px`).toBe(!wide);
      if (width === 1024) await saveScreenshot(page, "dashboard-1024");
      await page.context().close();
    }
  }, 120_000);

  it("fits every page on a 390 px phone, with the dashboard's links behind a menu", async () => {
    const [demo] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    const [treatment] = await db.select().from(services).where(eq(services.clinicId, demo.id)).limit(1);
    const [someone] = await db.select().from(practitioners).where(eq(practitioners.clinicId, demo.id)).limit(1);
    const [someClient] = await db.select().from(clients).where(eq(clients.clinicId, demo.id)).limit(1);
    // The booking calendar: the day's times beside the month on a wide screen, below it on a phone.
    const calendarPath = `/book/${DEMO.slug}?service=${treatment.id}`;
    for (const width of [1280, 390]) {
      const booking = await newPage({ width });
      await booking.goto(calendarPath);
      const month = await booking.getByRole("navigation", { name: /^Days with free times/ }).boundingBox();
      const times = await booking.getByRole("heading", { name: /^Free times on/ }).boundingBox();
      if (width === 1280) {
        expect(times!.x).toBeGreaterThan(month!.x + month!.width);
        await saveScreenshot(booking, "booking-page");
      } else {
        expect(times!.y).toBeGreaterThan(month!.y + month!.height);
      }
      await booking.context().close();
    }
    const visitor = await newPage({ width: 390 });
    for (const [name, pathname] of [
      ["landing", "/"],
      ["sign-in", "/sign-in"],
      ["sign-up", "/sign-up"],
      ["booking-page", `/book/${DEMO.slug}`],
      ["booking-calendar", calendarPath],
    ]) {
      await visitor.goto(pathname);
      await expectNoHorizontalOverflow(visitor);
      await saveScreenshot(visitor, `${name}-390`);
    }
    await visitor.context().close();

    const page = await newPage({ width: 390, signedIn: true });
    for (const [name, pathname] of [
      ["dashboard-today", "/dashboard"],
      ["dashboard-week", `/dashboard?view=week&date=${weekDate}`],
      ["reports", "/dashboard/reports"],
      ["treatments", "/dashboard/treatments"],
      ["practitioners", "/dashboard/practitioners"],
      ["practitioner", `/dashboard/practitioners/${someone.id}`],
      ["new-booking", `/dashboard/bookings/new?service=${treatment.id}`],
      ["clients", "/dashboard/clients"],
      ["client", `/dashboard/clients/${someClient.id}`],
      ["settings", "/dashboard/settings"],
    ]) {
      await page.goto(pathname);
      await expectNoHorizontalOverflow(page);
      await saveScreenshot(page, `${name}-390`);
    }
    // The settings form (last above) posts the clinic it was shown for (lib/auth/form-clinic.ts).
    expect(await page.locator('input[name="$clinic"]').getAttribute("value")).toBe(demo.id);

    await page.goto("/dashboard");
    const header = page.locator("header");
    expect(await header.getByRole("link", { name: "Reports" }).isVisible()).toBe(false);
    expect((await header.boundingBox())!.height).toBeLessThan(80); // one row, not three
    await page.getByRole("button", { name: "Open menu" }).click();
    const menu = page.getByRole("dialog", { name: "Menu" });
    await menu.waitFor();
    await saveScreenshot(page, "dashboard-menu-390");
    await menu.getByRole("link", { name: "Reports" }).click();
    await page.waitForURL("**/dashboard/reports");
    await menu.waitFor({ state: "hidden" });
    await page.getByTestId("revenue-chart").waitFor();
    await page.context().close();
  }, 120_000);
});
