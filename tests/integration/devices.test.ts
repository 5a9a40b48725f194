import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auth } from "@/lib/auth/auth";
import { describeUserAgent, displayAddress, listSignedInDevices, signOutOtherDevices } from "@/lib/auth/devices";
import { db } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { signUpOwner } from "../fixtures/clinic";

// The account page's devices: where an account is signed in, and "sign out everywhere else".

const PASSWORD = "devices-password-123";
const PHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const DESK = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Signs in from a browser at an address; returns the session's id and the headers that carry its cookie. */
async function signInFrom(email: string, userAgent: string, ip: string) {
  const { headers, response } = await auth().api.signInEmail({
    body: { email, password: PASSWORD },
    headers: new Headers({ "user-agent": userAgent, "x-forwarded-for": ip }),
    returnHeaders: true,
  });
  const cookie = headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const [session] = await db.select().from(sessions).where(eq(sessions.token, response.token));
  return { id: session.id, headers: new Headers({ cookie, "user-agent": userAgent }) };
}

describe("signed-in devices", () => {
  it("names a browser and its system in a few words", () => {
    expect(describeUserAgent(PHONE)).toBe("Safari on iOS");
    expect(describeUserAgent(LAPTOP)).toBe("Firefox on Windows");
    expect(describeUserAgent(DESK)).toBe("Chrome on Linux");
    expect(describeUserAgent("curl/8.5.0")).toBe("Unknown browser");
    expect(describeUserAgent(null)).toBe("Unknown browser");
  });

  it("shows an address compressed, and none for this machine", () => {
    expect(displayAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(displayAddress("2001:0db8:85a3:0042:0000:0000:0000:0000")).toBe("2001:db8:85a3:42::");
    expect(displayAddress("0000:0000:0000:0000:0000:0000:0000:0000")).toBeNull();
    expect(displayAddress("::1")).toBeNull();
    expect(displayAddress("127.0.0.1")).toBeNull();
    expect(displayAddress(null)).toBeNull();
  });

  it("lists the account's sessions, this one marked, and ends all the others, not another account's", async () => {
    const ivy = await signUpOwner("ivy", PASSWORD);
    const jon = await signUpOwner("jon", PASSWORD);
    // Sign-up's own session, from no browser in particular, is not part of this story.
    await db.delete(sessions).where(eq(sessions.userId, ivy.id));
    const desk = await signInFrom(ivy.email, DESK, "203.0.113.7");
    const phone = await signInFrom(ivy.email, PHONE, "198.51.100.20");
    const laptop = await signInFrom(ivy.email, LAPTOP, "192.0.2.33");
    const jonsDesk = await signInFrom(jon.email, DESK, "203.0.113.8");

    const listed = await listSignedInDevices(ivy.id, desk.id);
    expect(listed.map(({ device, ipAddress, current }) => ({ device, ipAddress, current }))).toEqual([
      { device: "Firefox on Windows", ipAddress: "192.0.2.33", current: false },
      { device: "Safari on iOS", ipAddress: "198.51.100.20", current: false },
      { device: "Chrome on Linux", ipAddress: "203.0.113.7", current: true },
    ]);

    expect(await signOutOtherDevices(ivy.id, desk.headers)).toBe(2);
    expect((await listSignedInDevices(ivy.id, desk.id)).map((device) => device.id)).toEqual([desk.id]);
    // The ended sessions no longer sign anyone in; this one and Jon's still do.
    expect(await auth().api.getSession({ headers: phone.headers })).toBeNull();
    expect(await auth().api.getSession({ headers: laptop.headers })).toBeNull();
    expect((await auth().api.getSession({ headers: desk.headers }))?.session.id).toBe(desk.id);
    expect((await auth().api.getSession({ headers: jonsDesk.headers }))?.session.id).toBe(jonsDesk.id);
    // Nothing more to end.
    expect(await signOutOtherDevices(ivy.id, desk.headers)).toBe(0);
  });
});
