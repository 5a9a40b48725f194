import { and, eq, inArray } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth } from "@/lib/auth/auth";
import { signUpClinic } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { jobRuns, practitioners, users, type JobRun } from "@/lib/db/schema";
import { adviseOnQueue } from "@/lib/jobs/advisor/advise";
import { defineJob } from "@/lib/jobs/define";
import { drain } from "@/lib/jobs/postgres/drain";
import { jobStats } from "@/lib/jobs/postgres/stats";
import { sendEvent } from "@/lib/jobs/send";
import { createBooking, createClient, createService } from "../integration/job-fixtures";
import {
  hasChromium,
  launchBrowser,
  signInCookie,
  startAppServer,
  type AppServer,
  APP_SERVER_SETUP_TIMEOUT_MS,
} from "./support/app-server";
import { expectNoHorizontalOverflow } from "./support/pages";

/**
 * /admin/jobs shows the job queue of every clinic, so only the deployment's operators
 * (OPERATOR_EMAILS) may open it or press its buttons; a clinic owner who is not one
 * gets a 404 from the pages and from the server actions alike.
 */

const OPERATOR = { name: "Olga Operator", email: "olga@example.com", password: "olga-password-123" };
const OWNER = { name: "Nina Owner", email: "nina@example.com", password: "nina-password-123" };
// An operator who belongs to no clinic; listed in another case to check the matching.
const STAFFER = { name: "Sid Sysop", email: "sid@example.com", password: "sid-password-123" };
// Listed too, but the account never confirmed the address: whoever made it may not be the operator.
const UNCONFIRMED = { name: "Uma Unknown", email: "uma@example.com", password: "uma-password-123" };

// A job the server's registry does not know, so only this file ever drains it.
const flakyExport = defineJob(
  { id: "e2e-export", triggers: [{ event: "booking/created" }], retries: 0 },
  async ({ step }) => {
    await step.run("load-rows", () => ({ rows: 3 }));
    await step.run("upload-file", () => {
      throw new Error("storage unavailable");
    });
  },
);

let server: AppServer | undefined;
let browser: Browser | undefined;
let base = "";
const runs = {} as {
  confirmation: JobRun;
  failed: JobRun;
  failedViaHttp: JobRun;
  queued: JobRun;
  cancelledByEvent: JobRun;
};

async function runOf(jobId: string, eventId: string) {
  const [run] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, jobId), eq(jobRuns.eventId, eventId)));
  return run;
}
const statusOf = async (run: JobRun) => (await db.select().from(jobRuns).where(eq(jobRuns.id, run.id)))[0];

describe.skipIf(!hasChromium)("/admin/jobs in Chromium", () => {
  beforeAll(async () => {
    await signUpClinic({ clinicName: "Ops Clinic", slug: "ops-clinic", ...OPERATOR });
    const { clinic } = await signUpClinic({ clinicName: "Nina Physio", slug: "nina-physio", ...OWNER });
    await auth().api.signUpEmail({ body: STAFFER });
    await auth().api.signUpEmail({ body: UNCONFIRMED });
    // The operators confirmed their addresses (the link sign-up emails them).
    await db
      .update(users)
      .set({ emailVerified: true })
      .where(inArray(users.email, [OPERATOR.email, STAFFER.email]));

    // A real booking at Nina's clinic and the runs its booking/created makes through the real engine.
    const [practitioner] = await db
      .insert(practitioners)
      .values({ clinicId: clinic.id, name: "Dr Pat Lee" })
      .returning();
    const service = await createService(clinic.id, "Sports massage", 5500, 45);
    const client = await createClient(clinic.id, "Sam Patel");
    const startsAt = new Date(Math.floor((Date.now() + 72 * 3_600_000) / 60_000) * 60_000);
    const booking = await createBooking({
      clinicId: clinic.id,
      practitionerId: practitioner.id,
      serviceId: service.id,
      clientId: client.id,
      startsAt,
      minutes: 45,
      priceMinor: 5500,
    });
    const created = { name: "booking/created" as const, data: { bookingId: booking.id, clinicId: clinic.id } };

    const [first] = await sendEvent(created);
    await drain({ budgetMs: 10_000 }); // the confirmation completes; the reminder sleeps until 24 h before
    runs.confirmation = await runOf("booking-confirmation", first.id);
    expect(runs.confirmation.status).toBe("completed");
    expect((await runOf("appointment-reminder", first.id)).status).toBe("sleeping");

    const failing = await sendEvent([created, created], { jobs: [flakyExport] });
    expect(await drain({ budgetMs: 10_000, jobs: [flakyExport] })).toMatchObject({ failed: 2 });
    runs.failed = await runOf("e2e-export", failing[0].id);
    runs.failedViaHttp = await runOf("e2e-export", failing[1].id);

    // Another booking, cancelled: its reminder is cancelled by cancelOn, with the reason.
    const other = await createBooking({
      clinicId: clinic.id,
      practitionerId: practitioner.id,
      serviceId: service.id,
      clientId: client.id,
      startsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      minutes: 45,
      priceMinor: 5500,
    });
    const [otherCreated] = await sendEvent({
      name: "booking/created",
      data: { bookingId: other.id, clinicId: clinic.id },
    });
    await sendEvent({ name: "booking/cancelled", data: { bookingId: other.id, clinicId: clinic.id, by: "client" } });
    runs.cancelledByEvent = await runOf("appointment-reminder", otherCreated.id);
    expect(runs.cancelledByEvent.status).toBe("cancelled");

    const [second] = await sendEvent(created); // not drained: stays queued
    runs.queued = await runOf("booking-confirmation", second.id);
    expect(runs.queued.status).toBe("queued");

    server = await startAppServer({
      env: { OPERATOR_EMAILS: ` ${OPERATOR.email}, SID@Example.com, ${UNCONFIRMED.email} ` },
    });
    base = server.base;
    browser = await launchBrowser();
  }, APP_SERVER_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const get = (pathname: string, cookie?: string) =>
    fetch(`${base}${pathname}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });

  it("sends signed-out visitors to sign in", async () => {
    for (const pathname of ["/admin/jobs", `/admin/jobs/${runs.failed.id}`]) {
      const response = await get(pathname);
      expect([303, 307, 308]).toContain(response.status);
      expect(response.headers.get("location")).toContain("/sign-in");
    }
  });

  it("answers 404 to a clinic owner who is not an operator, and their retry changes nothing", async () => {
    const owner = await signInCookie(browser!, base, OWNER.email, OWNER.password);
    for (const pathname of ["/admin/jobs", `/admin/jobs/${runs.failed.id}`, `/admin/jobs/${runs.confirmation.id}`]) {
      const response = await get(pathname, owner);
      expect(response.status, pathname).toBe(404);
      // The 404 page echoes the requested path, nothing of the queue.
      const html = await response.text();
      for (const leak of [
        "Background jobs",
        "e2e-export",
        "booking-confirmation",
        "storage unavailable",
        "Slotline operator",
      ])
        expect(html).not.toContain(leak);
    }
    const dashboard = await (await get("/dashboard", owner)).text();
    expect(dashboard).toContain("Nina Physio");
    expect(dashboard).not.toContain('href="/admin/jobs"');

    // The Retry form exactly as the operator's page posts it (a server action with the run id bound)...
    const operator = await signInCookie(browser!, base, OPERATOR.email, OPERATOR.password);
    const page = await (await browser!.newContext({ baseURL: base, extraHTTPHeaders: { cookie: operator } })).newPage();
    await page.goto(`/admin/jobs/${runs.failedViaHttp.id}`);
    const fields = await page
      .locator("form", { has: page.getByRole("button", { name: "Retry" }) })
      .evaluate((form: HTMLFormElement) =>
        [...new FormData(form)].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      );
    await page.context().close();
    expect(fields.map(([name]) => name).join(" ")).toContain("$ACTION");
    const postRetry = (cookie: string) => {
      const body = new FormData();
      for (const [name, value] of fields) body.append(name, value);
      return fetch(`${base}/admin/jobs/${runs.failedViaHttp.id}`, {
        method: "POST",
        headers: { cookie, origin: base },
        body,
        redirect: "manual",
      });
    };

    // ...posted as the owner: refused, and the run is untouched.
    const refused = await postRetry(owner);
    expect(refused.status).toBe(404);
    expect(await statusOf(runs.failedViaHttp)).toMatchObject({
      status: "failed",
      attempt: 1,
      error: { message: "storage unavailable" },
    });

    // The same post as the operator does retry it, so the refusal above was the check at work.
    const accepted = await postRetry(operator);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toContain(`/admin/jobs/${runs.failedViaHttp.id}?notice=`);
    expect(await statusOf(runs.failedViaHttp)).toMatchObject({ status: "queued", attempt: 0, error: null });
  });

  it("shows the operator every run with its figures and steps; Retry and Cancel act on the queue", async () => {
    const context = await browser!.newContext({ baseURL: base });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);

    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(OPERATOR.email);
    await page.getByLabel("Password").fill(OPERATOR.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/dashboard");
    // At 1280 px the operator's eight links still sit in one row beside the clinic's whole name.
    expect(page.viewportSize()?.width).toBe(1280);
    await expectNoHorizontalOverflow(page);
    expect((await page.locator("header").boundingBox())!.height).toBeLessThan(80);
    const clinicName = page.locator("header").getByRole("link", { name: "Ops Clinic", exact: true });
    const shown = await clinicName.evaluate((link) => ({ needs: link.scrollWidth, has: link.clientWidth }));
    expect(shown.needs).toBeLessThanOrEqual(shown.has);
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Jobs" }).click();
    await page.waitForURL("**/admin/jobs");

    // The list: figures as `npm run jobs -- stats` computes them, runs per job, and the runs.
    await page.getByRole("heading", { name: "Background jobs" }).waitFor();
    // The advisor's verdict and reasons, as `npm run jobs -- advise` gives them.
    const advice = await adviseOnQueue();
    const advisor = page.getByRole("region", { name: `Advisor: ${advice.verdict}` });
    await advisor.waitFor();
    await advisor.getByText(advice.reasons.find((reason) => reason.signal === "flowControl")!.text).waitFor();
    const { last30Days } = await jobStats();
    await page.getByText(`${last30Days.runs} / ${last30Days.steps}`, { exact: true }).waitFor();
    await page.getByText(`${(last30Days.failureRate! * 100).toFixed(1)}%`, { exact: true }).waitFor();
    await page.getByRole("link", { name: "Back to Ops Clinic" }).waitFor();
    const exportRow = page
      .getByRole("region", { name: "Runs per job" })
      .getByRole("row")
      .filter({ hasText: "e2e-export" });
    const failedExports = await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, "e2e-export"), eq(jobRuns.status, "failed")));
    expect(await exportRow.locator('a[href$="status=failed"]').innerText()).toBe(String(failedExports.length));
    const failedRow = page.getByRole("row").filter({ hasText: runs.failed.id.slice(0, 8) });
    await failedRow.getByText("storage unavailable").waitFor();
    await failedRow.getByText("failed", { exact: true }).waitFor();

    // A completed run's step timeline.
    await page.getByRole("link", { name: runs.confirmation.id.slice(0, 8), exact: true }).click();
    await page.waitForURL(`**/admin/jobs/${runs.confirmation.id}`);
    await page.getByRole("heading", { name: "booking-confirmation" }).waitFor();
    await page.getByText("load-booking", { exact: true }).waitFor();
    await page.getByText("send-confirmation-email", { exact: true }).waitFor();
    await page.getByText("booking/created", { exact: true }).waitFor();

    // Retry a failed run: back in the queue, its finished step kept for replay.
    await page.goto(`/admin/jobs/${runs.failed.id}`);
    await page.getByRole("heading", { name: "Error: storage unavailable" }).waitFor();
    await page.getByText("load-rows", { exact: true }).waitFor();
    await page.getByText("upload-file", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Retry" }).click();
    await page.getByRole("status").filter({ hasText: "Queued again" }).waitFor();
    expect(await statusOf(runs.failed)).toMatchObject({ status: "queued", attempt: 0, error: null, finishedAt: null });
    expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(0);

    // A run cancelled by an event says which.
    await page.goto(`/admin/jobs/${runs.cancelledByEvent.id}`);
    await page.getByRole("heading", { name: "Why it was cancelled" }).waitFor();
    await page.getByText(runs.cancelledByEvent.cancelReason!).waitFor();
    expect(runs.cancelledByEvent.cancelReason).toMatch(/^cancelOn: booking\/cancelled /);

    // Cancel a queued run.
    await page.goto(`/admin/jobs/${runs.queued.id}`);
    await page.getByText("No step has run yet.").waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("status").filter({ hasText: "Cancelled." }).waitFor();
    expect(await statusOf(runs.queued)).toMatchObject({ status: "cancelled" });
    await context.close();
  }, 60_000);

  it("answers 404 to a listed address whose account has not confirmed it", async () => {
    const unconfirmed = await signInCookie(browser!, base, UNCONFIRMED.email, UNCONFIRMED.password);
    for (const pathname of ["/admin/jobs", `/admin/jobs/${runs.failed.id}`]) {
      const response = await get(pathname, unconfirmed);
      expect(response.status, pathname).toBe(404);
      expect(await response.text()).not.toContain("Background jobs");
    }
  }, 60_000);

  it("lets in an operator who belongs to no clinic, matching the allowlist without case", async () => {
    const context = await browser!.newContext({ baseURL: base });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(STAFFER.email);
    await page.getByLabel("Password").fill(STAFFER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/admin/jobs");
    await page.getByRole("heading", { name: "Background jobs" }).waitFor();
    await page.getByText(`${STAFFER.name} · operator`).waitFor();
    expect(await page.getByRole("link", { name: /^Back to/ }).count()).toBe(0);
    await context.close();
  }, 60_000);
});
