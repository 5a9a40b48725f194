import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpClinic } from "@/lib/auth/sign-up";
import {
  APP_SERVER_SETUP_TIMEOUT_MS,
  hasChromium,
  launchBrowser,
  signInAs,
  startAppServer,
  type AppServer,
} from "./support/app-server";
import { linkIn, waitForEmails } from "./support/emails";
import { expectNoHorizontalOverflow, saveScreenshot } from "./support/pages";

/**
 * Passwords and the account page in Chromium against `next start`. A forgotten password:
 * "Forgot your password?" on the sign-in page, the email's link (read from email_outbox,
 * where the request's after() kick put it), a new password, and the session another
 * browser had is over. A known one: changed on /dashboard/account, which keeps this
 * browser signed in and signs the others out; the name is changed there too.
 */

const OWNER = { clinicName: "Reset Physio", slug: "reset-physio", name: "Pia Park", email: "pia@example.com" };
const OTHER = { clinicName: "Change Physio", slug: "change-physio", name: "Cal Change", email: "cal@example.com" };
const MOVER = { clinicName: "Move Physio", slug: "move-physio", name: "Mia Move", email: "mia@example.com" };
const ROAMER = { clinicName: "Roam Physio", slug: "roam-physio", name: "Rae Roam", email: "rae@example.com" };
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const OLD_PASSWORD = "old-password-1234";
const NEW_PASSWORD = "new-password-5678";

let server: AppServer | undefined;
let browser: Browser | undefined;
let base = "";

/** The link in the one reset email to `email`, once the job has sent it (the request's kick runs it). */
async function resetLink(email: string): Promise<string> {
  const [sent] = await waitForEmails(email, 1, { keyPrefix: "password-reset:" });
  return linkIn(sent, /https?:\/\/\S+\/reset-password\?token=[\w-]+/);
}

describe.skipIf(!hasChromium)("passwords and the account page in Chromium", () => {
  beforeAll(async () => {
    await signUpClinic({ ...OWNER, password: OLD_PASSWORD });
    await signUpClinic({ ...OTHER, password: OLD_PASSWORD });
    await signUpClinic({ ...MOVER, password: OLD_PASSWORD });
    await signUpClinic({ ...ROAMER, password: OLD_PASSWORD });
    server = await startAppServer();
    base = server.base;
    browser = await launchBrowser();
  }, APP_SERVER_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("asks for a link from the sign-in page, sets a new password through it, and ends the other session", async () => {
    // Signed in on another device, which the reset signs out.
    const laptop = await browser!.newContext({ baseURL: base });
    const signedIn = await signInAs(laptop, OWNER.email, OLD_PASSWORD, "/dashboard");

    const phone = await browser!.newContext({ baseURL: base, viewport: { width: 390, height: 844 } });
    const page = await phone.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL("**/forgot-password");
    await page.getByLabel("Email").fill("  Pia@Example.com ");
    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByRole("status").filter({ hasText: "If pia@example.com has an account" }).waitFor();
    await expectNoHorizontalOverflow(page);

    const link = await resetLink(OWNER.email);
    expect(link.startsWith(`${base}/reset-password?token=`)).toBe(true);
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText("Use at least 10 characters").waitFor();
    await saveScreenshot(page, "reset-password");
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL("**/sign-in?reset=done");
    await page.getByText("Your password is changed. Sign in with the new one.").waitFor();

    // The old password is gone, the new one signs in, and the laptop's session has ended.
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OLD_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That email and password do not match an account.").waitFor();
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/dashboard");
    await signedIn.reload();
    await signedIn.waitForURL("**/sign-in**");

    // The link works once: used again, it says so and offers a new one.
    await page.goto(link);
    await page.getByLabel("New password").fill("third-password-999");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByRole("alert").filter({ hasText: "This reset link has expired or was already used." }).waitFor();
    await page.getByRole("link", { name: "Ask for a new one" }).waitFor();
    await laptop.close();
    await phone.close();
  }, 180_000);

  it("moves the account to a new email address through a link sent there, confirming it", async () => {
    const desk = await browser!.newContext({ baseURL: base });
    const page = await signInAs(desk, MOVER.email, OLD_PASSWORD, "/dashboard");
    // Signed up, never confirmed: the dashboard says so.
    await page.getByRole("region", { name: "Unconfirmed account" }).waitFor();
    await page.goto("/dashboard/account");
    await page.getByLabel("New email address").fill(" Mia.New@Example.com");
    await page.getByLabel("Your password").fill("not-my-password");
    await page.getByRole("button", { name: "Send a confirmation link" }).click();
    await page.getByText("That is not your password.").waitFor();
    await page.getByLabel("Your password").fill(OLD_PASSWORD);
    await page.getByRole("button", { name: "Send a confirmation link" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "We sent a link to mia.new@example.com. You sign in as mia@example.com until you open it." })
      .waitFor();

    const [sent] = await waitForEmails("mia.new@example.com", 1, { keyPrefix: "email-change:" });
    await page.goto(linkIn(sent, /https?:\/\/[^\s\])]+\/confirm-email-change\?token=[\w-]+/));
    await page.getByText("Sign in as mia.new@example.com from now on, instead of mia@example.com.").waitFor();
    await page.getByRole("button", { name: "Use this address" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Done: you sign in as mia.new@example.com from now on." })
      .waitFor();

    // The address the account left is told, by the kick of the button's own request.
    const [notice] = await waitForEmails("mia@example.com", 1, { keyPrefix: "email-changed:" });
    expect(notice.text).toContain("your Slotline account signs in with mia.new@example.com from now on");

    await page.goto("/dashboard/account");
    await page.getByText("You sign in as mia.new@example.com.").waitFor();
    // The link reached the new address, so it is confirmed.
    expect(await page.getByRole("region", { name: "Unconfirmed account" }).count()).toBe(0);
    await desk.close();
    const again = await browser!.newContext({ baseURL: base });
    const moved = await signInAs(again, "mia.new@example.com", OLD_PASSWORD, "/dashboard");

    // Had it not been Mia, the notice's link gives the account back to her old address.
    const phoneSize = { width: 390, height: 844 };
    const mailbox = await (await browser!.newContext({ baseURL: base, viewport: phoneSize })).newPage();
    mailbox.setDefaultTimeout(60_000);
    await mailbox.goto(linkIn(notice, /https?:\/\/[^\s\])]+\/undo-email-change\?token=[\w-]+/));
    await mailbox.getByText("Your account was moved from mia@example.com to mia.new@example.com on").waitFor();
    await expectNoHorizontalOverflow(mailbox);
    await saveScreenshot(mailbox, "undo-email-change");
    await mailbox.getByRole("button", { name: "Give my account back" }).click();
    await mailbox
      .getByRole("status")
      .filter({ hasText: "Done: your account signs in with mia@example.com again, and is signed out everywhere." })
      .waitFor();
    // Every session ended, and a link to set a new password went to the address given back.
    await moved.reload();
    await moved.waitForURL("**/sign-in**");
    const reset = await resetLink("mia@example.com");
    expect(reset.startsWith(`${base}/reset-password?token=`)).toBe(true);
    await signInAs(again, "mia@example.com", OLD_PASSWORD, "/dashboard");
    await again.close();
    await mailbox.context().close();
  }, 180_000);

  it("changes the name and the password on the account page; this browser stays in, the other is signed out", async () => {
    const laptop = await browser!.newContext({ baseURL: base });
    const elsewhere = await signInAs(laptop, OTHER.email, OLD_PASSWORD, "/dashboard");
    const desk = await browser!.newContext({ baseURL: base });
    const page = await signInAs(desk, OTHER.email, OLD_PASSWORD, "/dashboard");

    await page.getByRole("link", { name: "Cal Change · owner" }).click();
    await page.waitForURL("**/dashboard/account");
    await page.getByText("You sign in as cal@example.com.").waitFor();
    await page.getByLabel("Your name").fill("Cal Changed");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("status").filter({ hasText: "Name saved." }).waitFor();
    await page.getByRole("link", { name: "Cal Changed · owner" }).waitFor();

    await page.getByLabel("Current password").fill("not-my-password");
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("That is not your current password.").waitFor();
    await page.getByLabel("Current password").fill(OLD_PASSWORD);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("status").filter({ hasText: "Password changed." }).waitFor();
    await saveScreenshot(page, "account");

    // This browser got a new session; the laptop's has ended.
    await page.goto("/dashboard");
    await page.getByRole("link", { name: "Cal Changed · owner" }).waitFor();
    await elsewhere.reload();
    await elsewhere.waitForURL("**/sign-in**");
    await laptop.close();
    const again = await browser!.newContext({ baseURL: base });
    await signInAs(again, OTHER.email, NEW_PASSWORD, "/dashboard");
    await again.close();
    await desk.close();
  }, 180_000);

  it("lists where the account is signed in and signs out everywhere but this browser", async () => {
    const phone = await browser!.newContext({
      baseURL: base,
      userAgent: IPHONE,
      viewport: { width: 390, height: 844 },
    });
    const elsewhere = await signInAs(phone, ROAMER.email, OLD_PASSWORD, "/dashboard");
    const desk = await browser!.newContext({ baseURL: base });
    const page = await signInAs(desk, ROAMER.email, OLD_PASSWORD, "/dashboard");
    await page.goto("/dashboard/account");
    const devices = page.getByRole("list", { name: "Signed-in devices" }).getByRole("listitem");
    // This browser, the phone, and the session sign-up itself opened (no browser: the test made the account).
    await expect.poll(() => devices.count()).toBe(3);
    expect(await devices.filter({ hasText: "this device" }).count()).toBe(1);
    await devices
      .filter({ hasText: "Safari on iOS" })
      .getByText(/^Signed in on \w+day, /)
      .waitFor();

    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Signed out of 2 other devices. This one stays signed in." })
      .waitFor();
    await page.getByText("You are signed in on this device only.").waitFor();
    expect(await devices.count()).toBe(1);
    expect(await page.getByRole("button", { name: "Sign out everywhere else" }).count()).toBe(0);

    await elsewhere.reload();
    await elsewhere.waitForURL("**/sign-in**");
    await page.goto("/dashboard");
    await page.getByRole("link", { name: "Rae Roam · owner" }).waitFor();
    await phone.close();
    await desk.close();
  }, 180_000);

  it("keeps better-auth's own password endpoints closed: they go through the forms and their rate limit", async () => {
    for (const pathname of [
      "/api/auth/request-password-reset",
      "/api/auth/reset-password",
      "/api/auth/change-password",
    ]) {
      const response = await fetch(`${base}${pathname}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base },
        body: JSON.stringify({
          email: OWNER.email,
          newPassword: "another-password-1",
          currentPassword: OLD_PASSWORD,
          token: "x",
        }),
      });
      expect(response.status, pathname).toBe(404);
    }
    const page = await (await fetch(`${base}/reset-password`)).text();
    expect(page).toContain("This page needs the link from your reset email");
  });

  it("caps every text and password field of the account pages at the length its schema takes", async () => {
    for (const pathname of ["/sign-in", "/sign-up", "/forgot-password", "/reset-password?token=abc"]) {
      const html = await (await fetch(`${base}${pathname}`)).text();
      const inputs = [...html.matchAll(/<input\b[^>]*>/g)].map((match) => match[0]);
      const typed = inputs.filter((input) => !/type="(hidden|checkbox|radio|submit)"/.test(input));
      expect(typed.length, pathname).toBeGreaterThan(0);
      for (const input of typed) expect(input, pathname).toMatch(/maxLength="\d+"/i);
      if (pathname !== "/forgot-password")
        expect(typed.filter((input) => input.includes('type="password"')).length, pathname).toBeGreaterThan(0);
    }
  });
});
