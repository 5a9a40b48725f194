import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { clinics, practitioners, services } from "@/lib/db/schema";
import { runMemberAction } from "@/lib/auth/action";
import { createPractitionerAction } from "@/lib/clinic/practitioners";
import { setWorkingHoursAction } from "@/lib/clinic/schedule";
import { loadSetupChecklist } from "@/lib/clinic/setup-checklist";
import { createTreatmentAction } from "@/lib/clinic/treatments";
import { createClinic as createReadyClinic, createMember, form } from "../fixtures/clinic";
import { createBookedClinic } from "./job-fixtures";

// The dashboard's checklist for a new clinic, step by step through the dashboard's own actions.

async function newClinic() {
  const [clinic] = await db
    .insert(clinics)
    .values({ name: "Brand New Clinic", slug: `new-${randomUUID().slice(0, 8)}` })
    .returning();
  return { clinic, owner: await createMember(clinic, "owner") };
}

const NOTHING_DONE = {
  hasTreatment: false,
  hasWorkingHours: false,
  practitionerId: null,
  shared: false,
  complete: false,
};

describe("setup checklist", () => {
  it("starts with nothing done and the full booking link to share", async () => {
    const { clinic, owner } = await newClinic();
    const checklist = await loadSetupChecklist(owner);
    expect(checklist).toMatchObject(NOTHING_DONE);
    expect(checklist.bookingPath).toBe(`/book/${clinic.slug}`);
    expect(checklist.bookingUrl).toMatch(new RegExp(`^https?://[^/]+/book/${clinic.slug}$`));
  });

  it("ticks the treatment, then the hours, and is complete once clients can book", async () => {
    const { owner } = await newClinic();

    // A hidden treatment is not bookable, so it does not count.
    const hidden = await runMemberAction(
      owner,
      createTreatmentAction,
      form({ name: "Hidden", durationMinutes: "30", price: "40" }),
    );
    expect(hidden.status).toBe("ok");
    expect(await loadSetupChecklist(owner)).toMatchObject({ hasTreatment: false, complete: false });

    await runMemberAction(
      owner,
      createTreatmentAction,
      form({ name: "Check-up", durationMinutes: "30", price: "40", active: "on" }),
    );
    expect(await loadSetupChecklist(owner)).toMatchObject({
      hasTreatment: true,
      hasWorkingHours: false,
      shared: false,
    });

    // A practitioner without hours: the hours step now links to their page, still undone.
    const added = await runMemberAction(owner, createPractitionerAction, form({ name: "Dr Hale", active: "on" }));
    const practitionerId = (added.data as { id: string }).id;
    expect(await loadSetupChecklist(owner)).toMatchObject({
      hasWorkingHours: false,
      practitionerId,
      complete: false,
    });

    const hours = await runMemberAction(
      owner,
      setWorkingHoursAction,
      form({ practitionerId, start_1: "09:00", end_1: "17:00" }),
    );
    expect(hours.status).toBe("ok");
    expect(await loadSetupChecklist(owner)).toMatchObject({
      hasTreatment: true,
      hasWorkingHours: true,
      shared: true,
      complete: true,
    });

    // Hours of a practitioner who is no longer bookable do not count: the checklist comes back.
    await db.update(practitioners).set({ active: false }).where(eq(practitioners.id, practitionerId));
    expect(await loadSetupChecklist(owner)).toMatchObject({
      hasWorkingHours: false,
      practitionerId: null,
      shared: false,
      complete: false,
    });
  });

  it("counts the link as shared once the clinic has a booking, whatever else is missing", async () => {
    // A practitioner without working hours, and a booking made some other way (by the clinic, an import).
    const { clinic, service } = await createBookedClinic({ hoursAhead: 24 });
    const owner = await createMember(clinic, "owner");
    // The treatment was withdrawn after that booking was made.
    await db.update(services).set({ active: false }).where(eq(services.id, service.id));
    expect(await loadSetupChecklist(owner)).toMatchObject({
      hasTreatment: false,
      hasWorkingHours: false,
      shared: true,
      complete: false,
    });
  });

  it("looks at the member's own clinic only", async () => {
    await createReadyClinic();
    const { owner } = await newClinic();
    expect(await loadSetupChecklist(owner)).toMatchObject(NOTHING_DONE);
    const ready = await createReadyClinic();
    expect(await loadSetupChecklist(await createMember(ready.clinic, "staff"))).toMatchObject({ complete: true });
  });
});
