import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { clinics, services } from "@/lib/db/schema";
import { runMemberAction, runValidated } from "@/lib/auth/action";
import { signUpClinic, signUpSchema } from "@/lib/auth/sign-up";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { createTreatmentAction } from "@/lib/clinic/treatments";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { createClinic, createMember, form } from "../fixtures/clinic";
import { rowCounts } from "../fuzz/inputs";

const signUpForm = (overrides: Record<string, string | undefined>) =>
  form({
    clinicName: "Kyoto Seitai",
    slug: `kyoto-${randomUUID().slice(0, 8)}`,
    name: "Aiko Sato",
    email: `aiko-${randomUUID().slice(0, 8)}@example.com`,
    password: "kyoto-password-123",
    ...overrides,
  });
const signUp = (data: FormData) => runValidated(signUpSchema, data, (input) => signUpClinic(input));

describe("clinics anywhere: sign-up", () => {
  it("stores the time zone and currency chosen", async () => {
    const state = await signUp(signUpForm({ timeZone: "Asia/Tokyo", currency: "jpy" }));
    expect(state).toMatchObject({ status: "ok", data: { clinic: { timeZone: "Asia/Tokyo", currency: "JPY" } } });
  });

  it("gives London and pounds to a form that sent neither (no JavaScript, an old client)", async () => {
    const state = await signUp(signUpForm({}));
    expect(state).toMatchObject({ status: "ok", data: { clinic: { timeZone: "Europe/London", currency: "GBP" } } });
  });

  it("refuses an unknown zone or currency with field errors, writing nothing", async () => {
    const before = await rowCounts();
    const state = await signUp(signUpForm({ timeZone: "Mars/Olympus_Mons", currency: "XYZ" }));
    expect(state.status).toBe("error");
    expect(state.fieldErrors).toEqual({
      timeZone: ["Choose an IANA time zone such as Europe/London or America/New_York"],
      currency: ["Choose a currency from the list, such as GBP, EUR or USD"],
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("keeps the demo in London and pounds", async () => {
    await seedDemo();
    const [demo] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.slug));
    expect(demo).toMatchObject({ timeZone: "Europe/London", currency: "GBP" });
  });
});

describe("clinics anywhere: prices and settings", () => {
  it("reads a treatment's price in the clinic's currency: yen without decimals, dinars with three", async () => {
    for (const [currency, typed, minor] of [
      ["JPY", "4500", 4500],
      ["KWD", "12.345", 12345],
    ] as const) {
      const { clinic } = await createClinic();
      await db.update(clinics).set({ currency }).where(eq(clinics.id, clinic.id));
      const owner = await createMember({ ...clinic, currency });
      const state = await runMemberAction(
        owner,
        createTreatmentAction,
        form({ name: "Shiatsu", durationMinutes: "60", price: typed, active: "on" }),
      );
      expect(state).toMatchObject({ status: "ok", data: { priceMinor: minor } });
    }
  });

  it("changes the currency and keeps each price's amount as typed (45.00 GBP becomes 45 JPY)", async () => {
    const { clinic, service } = await createClinic();
    const owner = await createMember(clinic);
    const state = await runMemberAction(
      owner,
      updateClinicSettingsAction,
      form({ name: "Test Clinic", timeZone: "Asia/Tokyo", currency: "JPY", cancellationNoticeHours: "24" }),
    );
    expect(state).toMatchObject({ status: "ok", data: { timeZone: "Asia/Tokyo", currency: "JPY" } });
    const [after] = await db.select().from(services).where(eq(services.id, service.id));
    expect(after.priceMinor).toBe(45);
  });

  it("refuses a currency that cannot show a price, naming the treatment, and changes nothing", async () => {
    const { clinic, service } = await createClinic();
    await db.update(services).set({ priceMinor: 4550 }).where(eq(services.id, service.id));
    const owner = await createMember(clinic);
    const before = await rowCounts();
    const state = await runMemberAction(
      owner,
      updateClinicSettingsAction,
      form({ name: "Renamed", timeZone: "Asia/Tokyo", currency: "JPY", cancellationNoticeHours: "24" }),
    );
    expect(state.status).toBe("error");
    expect(state.fieldErrors?.currency).toEqual([
      "The price of “Check-up” has decimals that JPY does not have. Round it first, then change the currency.",
    ]);
    expect(await rowCounts()).toEqual(before);
  });
});
