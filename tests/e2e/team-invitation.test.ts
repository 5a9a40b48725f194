import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpClinic } from "@/lib/auth/sign-up";
import { db } from "@/lib/db/client";
import { clinics, memberships, users } from "@/lib/db/schema";
import { hasChromium, launchBrowser, startAppServer, type AppServer, signInAs } from "./support/app-server";
import { linkIn, waitForEmails } from "./support/emails";
import { expectNoHorizontalOverflow, saveScreenshot } from "./support/pages";

/**
 * A clinic's team in Chromium against `next start`: the owner invites from /dashboard/team,
 * the invitation email's link (read from email_outbox, where the after() kick of the
 * invite request put it) takes the invitee through sign-up and Accept into the
 * dashboard, where staff see the calendar and get a 403 from the pages that manage the
 * clinic. A member of two clinics lands in the one they just joined and switches back.
 */

const OWNER = { clinicName: "Team Physio", slug: "team-physio", name: "Olive Owner", email: "olive@example.com" };
const OTHER = { clinicName: "Second Site", slug: "second-site", name: "Otto Other", email: "otto@example.com" };
const PASSWORD = "owner-password-123";
const MANAGER_PAGES = [
  "/dashboard/settings",
  "/dashboard/treatments",
  "/dashboard/practitioners",
  "/dashboard/reports",
  "/dashboard/reports/csv",
  "/dashboard/team",
];

let server: AppServer | undefined;
let browser: Browser | undefined;
let base = "";

async function newContext(width = 1280) {
  return browser!.newContext({ baseURL: base, viewport: { width, height: 844 } });
}

async function invite(page: Page, email: string, role: "staff" | "admin") {
  await page.goto("/dashboard/team");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await page.getByText(`Invitation sent to ${email}.`).waitFor();
}

/**
 * The link in the `nth` invitation email to `email` (1 = the first), once the job has sent it
 * (no worker runs: the request's kick does); more emails than `nth` fails.
 */
async function invitationLink(email: string, nth = 1): Promise<string> {
  // Only the invitations: an invitee with a clinic of their own also got its confirmation link.
  const sent = await waitForEmails(email, nth, { keyPrefix: "team-invitation:" });
  return linkIn(sent[nth - 1], /https?:\/\/\S+\/invite\/[\w.-]+/);
}

const tokenOf = (link: string) => new URL(link).pathname.split("/").pop();

describe.skipIf(!hasChromium)("a clinic's team in Chromium", () => {
  beforeAll(async () => {
    await signUpClinic({ ...OWNER, password: PASSWORD });
    await signUpClinic({ ...OTHER, password: PASSWORD });
    server = await startAppServer();
    base = server.base;
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("invites staff by email; they sign up through the link, accept, and see only the calendar", async () => {
    const ownerContext = await newContext();
    const owner = await signInAs(ownerContext, OWNER.email, PASSWORD, "/dashboard");
    await owner.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Team" }).click();
    await owner.waitForURL("**/dashboard/team");
    await owner.getByRole("rowheader", { name: /Olive Owner/ }).waitFor();
    await invite(owner, "Sam.Staff@Example.com", "staff");
    const pending = owner.getByTestId("team-invitations").getByRole("row", { name: /sam\.staff@example\.com/ });
    await pending.getByRole("cell", { name: "staff", exact: true }).waitFor();
    await saveScreenshot(owner, "team");
    const clinicsBefore = (await db.select().from(clinics)).length;

    const link = await invitationLink("sam.staff@example.com");
    expect(link.startsWith(`${base}/invite/`)).toBe(true);

    // Signed out: the invitation names the clinic and role, and offers sign-in or sign-up.
    const samContext = await newContext();
    const sam = await samContext.newPage();
    sam.setDefaultTimeout(60_000);
    await sam.goto(link);
    await sam.getByRole("heading", { name: "Join Team Physio" }).waitFor();
    await sam.getByText(/invited sam\.staff@example\.com to join as/).waitFor();
    await sam.getByRole("link", { name: "Create an account" }).click();
    await sam.waitForURL("**/sign-up?invite=**");
    await sam.getByRole("heading", { name: "Join Team Physio" }).waitFor();
    expect(await sam.getByLabel("Email").inputValue()).toBe("sam.staff@example.com");
    expect(await sam.getByLabel("Clinic name").count()).toBe(0);
    await sam.getByLabel("Your name").fill("Sam Staff");
    await sam.getByLabel("Password").fill("sam-password-123");
    await sam.getByRole("button", { name: "Create account" }).click();

    // Back at the invitation, signed in as the invitee: Accept, and into the clinic's calendar.
    await sam.waitForURL((url) => url.pathname.startsWith("/invite/"));
    await sam.getByText("You are signed in as sam.staff@example.com.").waitFor();
    await sam.getByRole("button", { name: "Accept invitation" }).click();
    await sam.waitForURL("**/dashboard");
    await sam.getByRole("link", { name: "Team Physio" }).waitFor();
    const nav = sam.getByRole("navigation", { name: "Dashboard" });
    await nav.getByRole("link", { name: "Calendar" }).waitFor();
    await nav.getByRole("link", { name: "Clients" }).waitFor();
    for (const hidden of ["Treatments", "Practitioners", "Reports", "Team", "Settings"])
      expect(await nav.getByRole("link", { name: hidden }).count(), hidden).toBe(0);

    // The pages that manage the clinic answer 403, in the browser and over plain HTTP.
    const settings = await sam.goto("/dashboard/settings");
    expect(settings?.status()).toBe(403);
    await sam.getByRole("heading", { name: "Not for your role" }).waitFor();
    expect(await sam.getByLabel("Clinic name").count()).toBe(0);
    for (const pathname of MANAGER_PAGES) {
      const response = await samContext.request.get(pathname, { maxRedirects: 0 });
      expect(response.status(), pathname).toBe(403);
    }
    expect((await samContext.request.get("/dashboard")).status()).toBe(200);
    // The front desk looks clients up and corrects their details.
    expect((await samContext.request.get("/dashboard/clients", { maxRedirects: 0 })).status()).toBe(200);
    // Their own account is theirs to manage, whatever their role.
    const account = await samContext.request.get("/dashboard/account", { maxRedirects: 0 });
    expect(account.status()).toBe(200);
    expect(await account.text()).toContain("You sign in as sam.staff@example.com.");

    // One membership, no clinic of their own; the used link says so.
    const [samUser] = await db.select().from(users).where(eq(users.email, "sam.staff@example.com"));
    const joined = await db.select().from(memberships).where(eq(memberships.userId, samUser.id));
    expect(joined.map((row) => row.role)).toEqual(["staff"]);
    expect((await db.select().from(clinics)).length).toBe(clinicsBefore);
    await sam.goto(link);
    await sam.getByText("This invitation has already been accepted.").waitFor();

    await owner.reload();
    await owner
      .getByTestId("team-members")
      .getByRole("row", { name: /Sam Staff/ })
      .getByRole("cell", { name: "staff", exact: true })
      .waitFor();
    await owner.getByText("No invitations waiting for an answer.").waitFor();

    // The owner makes Sam an admin: the settings are Sam's to see on the next request.
    const samRow = owner.getByTestId("team-members").getByRole("row", { name: /Sam Staff/ });
    await samRow.getByLabel("Role for Sam Staff").selectOption("admin");
    await samRow.getByRole("button", { name: "Change the role of Sam Staff" }).click();
    await owner.getByText("Role changed.").waitFor();
    await samRow.getByRole("cell", { name: "admin", exact: true }).waitFor();
    expect((await samContext.request.get("/dashboard/settings", { maxRedirects: 0 })).status()).toBe(200);

    // Then removes Sam: the dashboard no longer lets Sam in (Sam may start a clinic), and the account stays.
    await samRow.getByRole("button", { name: "Remove Sam Staff from the team" }).click();
    await owner.getByText("Removed from the team.").waitFor();
    expect(
      await owner
        .getByTestId("team-members")
        .getByRole("row", { name: /Sam Staff/ })
        .count(),
    ).toBe(0);
    await sam.goto("/dashboard");
    await sam.waitForURL("**/sign-up/clinic");
    expect(await db.select().from(memberships).where(eq(memberships.userId, samUser.id))).toEqual([]);
    expect(await db.select().from(users).where(eq(users.id, samUser.id))).toHaveLength(1);
    await ownerContext.close();
    await samContext.close();
  }, 180_000);

  it("resends and revokes an invitation, after which its links say so; another email is told it is not theirs", async () => {
    const context = await newContext();
    const owner = await signInAs(context, OWNER.email, PASSWORD, "/dashboard");
    await invite(owner, "wrong.person@example.com", "staff");
    const link = await invitationLink("wrong.person@example.com");

    // The owner is signed in with another email: the invitation says so and changes nothing.
    await owner.goto(link);
    await owner
      .getByText(/This invitation is for wrong\.person@example\.com, but you are signed in as olive@/)
      .waitFor();
    expect(await owner.getByRole("button", { name: "Accept invitation" }).count()).toBe(0);

    // Signing out there leads on to signing in for the invitation (in a second browser, so the
    // owner stays signed in below).
    const elsewhereContext = await newContext();
    const elsewhere = await signInAs(elsewhereContext, OWNER.email, PASSWORD, "/dashboard");
    await elsewhere.goto(link);
    await elsewhere.getByRole("button", { name: "Sign out" }).click();
    await elsewhere.waitForURL(
      (url) => url.pathname === "/sign-in" && url.searchParams.get("invite") === tokenOf(link),
    );
    await elsewhere.getByText("Sign in to accept your invitation.").waitFor();
    await elsewhere.goto("/dashboard");
    await elsewhere.waitForURL("**/sign-in**");
    await elsewhereContext.close();

    // Sent again: a new email with a new link; the first link is dead.
    await owner.goto("/dashboard/team");
    await owner.getByRole("button", { name: "Resend the invitation for wrong.person@example.com" }).click();
    await owner.getByText("Invitation sent again, with a new link.").waitFor();
    const second = await invitationLink("wrong.person@example.com", 2);
    expect(second).not.toBe(link);
    await owner.goto(link);
    await owner.getByText("This invitation was withdrawn by the clinic.").waitFor();

    await owner.goto("/dashboard/team");
    await owner.getByRole("button", { name: "Revoke the invitation for wrong.person@example.com" }).click();
    await owner.getByText("No invitations waiting for an answer.").waitFor();
    await owner.goto(second);
    await owner.getByText("This invitation was withdrawn by the clinic.").waitFor();
    await context.close();
  }, 120_000);

  it("lands a member of two clinics in the one they just joined, and switches back from the header", async () => {
    const ottoContext = await newContext();
    const otto = await signInAs(ottoContext, OTHER.email, PASSWORD, "/dashboard");
    await invite(otto, OWNER.email, "admin");
    const link = await invitationLink(OWNER.email);
    await ottoContext.close();

    // Olive's first clinic is her own; accepting opens the one she joined (the active-clinic cookie).
    const context = await newContext(390);
    const olive = await signInAs(context, OWNER.email, PASSWORD, "/dashboard");
    await olive.goto(link);
    await olive.getByRole("button", { name: "Accept invitation" }).click();
    await olive.waitForURL("**/dashboard");
    const switcher = olive.getByLabel("Clinic", { exact: true });
    expect(await switcher.locator("option:checked").textContent()).toBe("Second Site");

    // On a phone the Team link sits in the menu.
    await olive.getByRole("button", { name: "Open menu" }).click();
    const menu = olive.getByRole("dialog", { name: "Menu" });
    await menu.getByRole("link", { name: "Team" }).click();
    await olive.waitForURL("**/dashboard/team");
    await olive
      .getByTestId("team-members")
      .getByRole("row", { name: /Olive Owner/ })
      .getByText("admin", { exact: true })
      .waitFor();
    // An admin invites staff only.
    expect(await olive.getByLabel("Role").locator("option").allTextContents()).toEqual(["Staff: appointments only"]);
    await expectNoHorizontalOverflow(olive);
    await saveScreenshot(olive, "team-390");

    // The switcher: the dashboard reopens in the clinic chosen, and stays there.
    const clinicName = async () => {
      await olive.goto("/dashboard/settings");
      return olive.getByLabel("Clinic name").inputValue();
    };
    await switcher.selectOption({ label: "Team Physio" });
    await olive.waitForURL("**/dashboard");
    expect(await clinicName()).toBe("Team Physio");
    await switcher.selectOption({ label: "Second Site" });
    await olive.waitForURL("**/dashboard");
    expect(await clinicName()).toBe("Second Site");

    // A forged cookie falls back to her first clinic.
    await context.addCookies([{ name: "slotline_clinic", value: crypto.randomUUID(), url: base }]);
    expect(await clinicName()).toBe("Team Physio");

    // Signing out (in the phone menu) ends the session and forgets the clinic chosen on this browser.
    await switcher.selectOption({ label: "Second Site" });
    await olive.waitForURL("**/dashboard");
    const cookieNames = async () => (await context.cookies()).map((cookie) => cookie.name);
    expect(await cookieNames()).toContain("slotline_clinic");
    await olive.getByRole("button", { name: "Open menu" }).click();
    await olive.getByRole("dialog", { name: "Menu" }).getByRole("button", { name: "Sign out" }).click();
    await olive.waitForURL("**/sign-in");
    expect(await cookieNames()).not.toContain("slotline_clinic");
    expect((await cookieNames()).filter((name) => name.includes("session"))).toEqual([]);
    await olive.goto("/dashboard/settings");
    await olive.waitForURL("**/sign-in**");
    await context.close();
  }, 180_000);
});
