import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMemberAction } from "@/lib/auth/action";
import { updateClinicSettingsAction } from "@/lib/clinic/settings";
import { db } from "@/lib/db/client";
import { clinics } from "@/lib/db/schema";
import { createClinic, createMember, form } from "../fixtures/clinic";

const settings = (clinic: { name: string; timeZone: string }, extra: Record<string, string> = {}) =>
  form({ name: clinic.name, timeZone: clinic.timeZone, cancellationNoticeHours: "24", ...extra });

describe("the clinic's locale in settings", () => {
  it("is chosen from the list, kept when the form leaves it out, and refused otherwise with nothing changed", async () => {
    const { clinic } = await createClinic();
    const owner = await createMember(clinic, "owner");
    expect(
      await runMemberAction(owner, updateClinicSettingsAction, settings(clinic, { locale: "en-US" })),
    ).toMatchObject({ status: "ok" });
    const read = async () => (await db.select().from(clinics).where(eq(clinics.id, clinic.id)))[0];
    expect((await read()).locale).toBe("en-US");

    expect(await runMemberAction(owner, updateClinicSettingsAction, settings(clinic))).toMatchObject({ status: "ok" });
    expect((await read()).locale).toBe("en-US");

    const bad = await runMemberAction(
      owner,
      updateClinicSettingsAction,
      settings(clinic, { name: "Renamed", locale: "xx-XX" }),
    );
    expect(bad).toMatchObject({
      status: "error",
      fieldErrors: { locale: ["Choose how dates and times are written from the list"] },
    });
    expect(await read()).toMatchObject({ name: clinic.name, locale: "en-US" });
  });
});
