import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpClinic } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { clinics } from "@/lib/db/schema";
import { createClinic } from "../fixtures/clinic";
import { rowCounts } from "../fuzz/inputs";
import {
  APP_SERVER_SETUP_TIMEOUT_MS,
  hasChromium,
  launchBrowser,
  signInCookie,
  startAppServer,
  type AppServer,
} from "./support/app-server";

/**
 * Bad input over real HTTP against `next start`: the routes (cron, Inngest, better-auth),
 * the booking page, and server actions posted as a browser without JavaScript posts
 * them, with bodies over and under the limits. Nothing answers 5xx; nothing is written.
 */

const CRON_SECRET = "e2e-cron-secret-0123456789";
const OWNER = { clinicName: "Fuzz Physio", slug: "fuzz-physio", name: "Fay Owner", email: "fay@example.com" };
const PASSWORD = "fay-password-123";
const MB = 1024 * 1024;

let server: AppServer | undefined;
let browser: Browser | undefined;
let base = "";
let cookie = "";
let bookingSlug = "";

/** The string fields of the page's first form with a submit button named `button`, as the browser would post them. */
async function formFields(path: string, button: string): Promise<[string, string][]> {
  const page = await (await browser!.newContext({ baseURL: base })).newPage();
  try {
    await page.goto(path);
    return await page
      .locator("form", { has: page.getByRole("button", { name: button }) })
      .evaluate((form: HTMLFormElement) =>
        [...new FormData(form)].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      );
  } finally {
    await page.context().close();
  }
}

/** Posts a form as a browser without JavaScript does (multipart, to the page's own URL). */
function postForm(path: string, fields: [string, string][], overrides: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, name in overrides ? overrides[name] : value);
  return fetch(`${base}${path}`, { method: "POST", headers: { origin: base }, body, redirect: "manual" });
}

describe.skipIf(!hasChromium)("bad input over HTTP never answers 5xx", () => {
  beforeAll(async () => {
    await signUpClinic({ ...OWNER, password: PASSWORD });
    bookingSlug = (await createClinic()).clinic.slug;
    server = await startAppServer({ env: { CRON_SECRET } });
    base = server.base;
    browser = await launchBrowser();
    cookie = await signInCookie(browser, base, OWNER.email, PASSWORD);
  }, APP_SERVER_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("routes: 4xx with a reason, and nothing written", async () => {
    const cron = { authorization: `Bearer ${CRON_SECRET}` };
    const json = { "content-type": "application/json", origin: base, cookie };
    const big = (bytes: number) => JSON.stringify({ name: "x".repeat(bytes) });
    const streamed = (text: string) =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
    const requests: [string, number, () => Promise<Response>][] = [
      ["cron drain without a secret", 401, () => fetch(`${base}/api/cron/drain`)],
      [
        "cron drain with an 8 KB header",
        401,
        () => fetch(`${base}/api/cron/drain`, { headers: { authorization: `Bearer ${"x".repeat(8_000)}` } }),
      ],
      ["cron job of 3,000 characters", 404, () => fetch(`${base}/api/cron/${"j".repeat(3_000)}`, { headers: cron })],
      ["cron job with a NUL", 404, () => fetch(`${base}/api/cron/job%00x`, { headers: cron })],
      ["cron drain posted to", 405, () => fetch(`${base}/api/cron/drain`, { method: "POST", body: "{}" })],
      [
        "inngest with a 5 MB body",
        413,
        () => fetch(`${base}/api/inngest`, { method: "POST", body: "x".repeat(5 * MB) }),
      ],
      ["inngest with broken JSON", 404, () => fetch(`${base}/api/inngest`, { method: "POST", body: '{"a":' })],
      [
        "auth: a NUL in a name",
        400,
        () =>
          fetch(`${base}/api/auth/update-user`, { method: "POST", headers: json, body: '{"name":"Ann\\u0000Lee"}' }),
      ],
      [
        "auth: a name of 3,000 characters",
        400,
        () => fetch(`${base}/api/auth/update-user`, { method: "POST", headers: json, body: big(3_000) }),
      ],
      [
        "auth: a 100 KB body",
        413,
        () => fetch(`${base}/api/auth/update-user`, { method: "POST", headers: json, body: big(100_000) }),
      ],
      [
        "auth: a 100 KB body sent without a length",
        413,
        () =>
          fetch(`${base}/api/auth/update-user`, {
            method: "POST",
            headers: json,
            body: streamed(big(100_000)),
            duplex: "half",
          } as RequestInit),
      ],
      [
        "auth: broken JSON",
        400,
        () => fetch(`${base}/api/auth/update-user`, { method: "POST", headers: json, body: "{not json" }),
      ],
      ["auth: a NUL in a query", 400, () => fetch(`${base}/api/auth/get-session?x=%00`, { headers: { cookie } })],
      [
        "auth: disabled sign-up endpoint",
        404,
        () => fetch(`${base}/api/auth/sign-up/email`, { method: "POST", headers: json, body: "{}" }),
      ],
      ["booking page with a NUL slug", 404, () => fetch(`${base}/book/%00`)],
      ["booking page with a 3,000-character slug", 404, () => fetch(`${base}/book/${"s".repeat(3_000)}`)],
      [
        "booking page with NULs in the query",
        200,
        () => fetch(`${base}/book/${bookingSlug}?service=%00&practitioner=%00&date=%00`),
      ],
    ];
    const before = await rowCounts();
    for (const [label, status, send] of requests) {
      const response = await send();
      const text = await response.text();
      expect(response.status, `${label}: ${text.slice(0, 300)}`).toBe(status);
      if (response.headers.get("content-type")?.includes("json"))
        expect(JSON.stringify(await JSON.parse(text)).length, label).toBeLessThan(1_000);
    }
    expect(await rowCounts()).toEqual(before);
    // The user's name survived the update-user attempts.
    const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, OWNER.slug));
    expect(clinic.name).toBe(OWNER.clinicName);
  });

  it("server actions: a field over its limit gets its field error; a body over 2 MB gets 413", async () => {
    const fields = await formFields("/sign-up", "Create clinic");
    expect(fields.map(([name]) => name)).toEqual(expect.arrayContaining(["name", "timeZone", "currency"]));
    const valid = {
      clinicName: "New Clinic",
      slug: "new-clinic",
      email: "new@example.com",
      password: "new-password-123",
    };
    const before = await rowCounts();

    // 1.5 MB in one field: inside the body limit, so the form comes back with the field's error, and small.
    const long = await postForm("/sign-up", fields, { ...valid, name: "n".repeat(1.5 * MB) });
    const page = await long.text();
    expect(long.status).toBe(200);
    expect(page).toContain("Keep the name under 100 characters");
    expect(page.length).toBeLessThan(300_000);

    const nul = await postForm("/sign-up", fields, { ...valid, name: "Ann\u0000Lee", email: "  ann@example.com  " });
    expect(nul.status).toBe(200);
    expect(await nul.text()).toContain("Remove the invisible control character (U+0000) from the name");

    // 3 MB: over the limit, answered 413 with a sentence, as a form post and as a fetch action alike.
    const huge = await postForm("/sign-up", fields, { ...valid, name: "n".repeat(3 * MB) });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toMatch(/too large to send .* the most is 2\.0 MB/);
    const fetchAction = await fetch(`${base}/sign-up`, {
      method: "POST",
      headers: { origin: base, "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify(["n".repeat(3 * MB)]),
    });
    expect(fetchAction.status).toBe(413);

    expect(await rowCounts()).toEqual(before);
  });

  it("in Chromium, a form over the limit says so without sending it", async () => {
    const context = await browser!.newContext({ baseURL: base });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto("/sign-up");
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    // maxLength stops typing; pasting through script is what gets past it.
    await page.getByLabel("Your name").evaluate((input: HTMLInputElement) => {
      input.removeAttribute("maxlength");
      input.value = "n".repeat(3 * 1024 * 1024);
    });
    await page.getByRole("button", { name: "Create clinic" }).click();
    await page.getByRole("alert").filter({ hasText: "the most it can send is 2.0 MB" }).waitFor();
    expect(posts).toEqual([]);
    await context.close();
  });

  it("sign-up picks the browser's time zone, London without JavaScript, and prices follow the currency", async () => {
    const plain = await browser!.newContext({ baseURL: base, javaScriptEnabled: false, timezoneId: "Asia/Tokyo" });
    const noScript = await plain.newPage();
    await noScript.goto("/sign-up");
    expect(await noScript.getByLabel("Time zone").inputValue()).toBe("Europe/London");
    await plain.close();

    const context = await browser!.newContext({ baseURL: base, timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto("/sign-up");
    await expect.poll(() => page.getByLabel("Time zone").inputValue()).toBe("Asia/Tokyo");
    await page.getByLabel("Clinic name").fill("Kyoto Seitai");
    await page.getByLabel("Booking page address").fill("kyoto-seitai");
    await page.getByLabel("Currency of your prices").selectOption("JPY");
    await page.getByLabel("Your name").fill("Aiko Sato");
    await page.getByLabel("Email").fill("aiko@example.com");
    await page.getByLabel("Password").fill("aiko-password-123");
    await page.getByRole("button", { name: "Create clinic" }).click();
    await page.waitForURL("**/dashboard");
    const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, "kyoto-seitai"));
    expect(clinic).toMatchObject({ timeZone: "Asia/Tokyo", currency: "JPY" });

    await page.goto("/dashboard/treatments");
    await page.getByLabel("Name").fill("Shiatsu");
    await page.getByLabel("Duration (minutes)").fill("60");
    await page.getByLabel("Price (JP¥)").fill("4500.5");
    await page.getByRole("button", { name: "Add treatment" }).click();
    await page.getByText("JPY prices have no decimals").first().waitFor();
    await page.getByLabel("Price (JP¥)").fill("4,500");
    await page.getByRole("button", { name: "Add treatment" }).click();
    await page.getByText("60 min · JP¥4,500").waitFor();
    await context.close();
  });
});
