import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMemberAction } from "@/lib/auth/action";
import { findAvailableDays, findFreeSlots } from "@/lib/booking/availability";
import { loadBookingPage } from "@/lib/booking/booking-page";
import { createBooking } from "@/lib/booking/create-booking";
import { NotFoundError } from "@/lib/clinic/errors";
import { OFFERED_BY, setTreatmentPractitionersAction, treatmentPractitioners } from "@/lib/clinic/treatments";
import { db } from "@/lib/db/client";
import { practitionerServices } from "@/lib/db/schema";
import { createClinic, createMember, form } from "../fixtures/clinic";

const now = new Date("2026-12-01T08:00:00Z");

describe("treatments assigned to practitioners", () => {
  it("offers a treatment only with the practitioners ticked; none ticked means everyone", async () => {
    const fixture = await createClinic({ practitioners: 2 });
    const [a, b] = fixture.practitioners;
    const owner = await createMember(fixture.clinic, "owner");
    const query = { serviceId: fixture.service.id, date: "2026-12-03" };

    const everyone = await findFreeSlots(fixture.clinic, { ...query, practitionerId: "any" }, { now });
    expect(new Set(everyone.slots.flatMap((slot) => slot.practitionerIds))).toEqual(new Set([a.id, b.id]));

    const saved = await runMemberAction(
      owner,
      setTreatmentPractitionersAction,
      form({ id: fixture.service.id, [`${OFFERED_BY}${b.id}`]: "on" }),
    );
    expect(saved.status).toBe("ok");
    expect(await treatmentPractitioners(fixture.service)).toEqual([b.id]);

    const onlyB = await findFreeSlots(fixture.clinic, { ...query, practitionerId: "any" }, { now });
    expect(new Set(onlyB.slots.flatMap((slot) => slot.practitionerIds))).toEqual(new Set([b.id]));
    await expect(findFreeSlots(fixture.clinic, { ...query, practitionerId: a.id }, { now })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      findAvailableDays(
        fixture.clinic,
        { serviceId: fixture.service.id, practitionerId: a.id, from: "2026-12-03", to: "2026-12-05" },
        { now },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    // The booking page offers only B once the treatment is chosen; createBooking refuses A.
    const page = await loadBookingPage(fixture.clinic.slug, { service: fixture.service.id }, now);
    expect(page.catalog.practitioners.map((p) => p.id)).toEqual([b.id]);
    await expect(
      createBooking(
        fixture.clinic,
        {
          serviceId: fixture.service.id,
          practitionerId: a.id,
          start: "2026-12-03T10:00:00.000Z",
          name: "Pat",
          email: "pat@example.com",
        },
        { now },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);

    // Nothing ticked: everyone again.
    expect(
      await runMemberAction(owner, setTreatmentPractitionersAction, form({ id: fixture.service.id })),
    ).toMatchObject({ status: "ok" });
    expect(
      await db.select().from(practitionerServices).where(eq(practitionerServices.serviceId, fixture.service.id)),
    ).toEqual([]);
  });

  it("refuses another clinic's practitioner or treatment, and staff, changing nothing", async () => {
    const mine = await createClinic();
    const theirs = await createClinic();
    const owner = await createMember(mine.clinic, "owner");
    const staff = await createMember(mine.clinic, "staff");
    const foreign = await runMemberAction(
      owner,
      setTreatmentPractitionersAction,
      form({ id: mine.service.id, [`${OFFERED_BY}${theirs.practitioners[0].id}`]: "on" }),
    );
    expect(foreign).toMatchObject({ status: "error", message: expect.stringMatching(/not found/i) });
    const theirTreatment = await runMemberAction(
      owner,
      setTreatmentPractitionersAction,
      form({ id: theirs.service.id, [`${OFFERED_BY}${mine.practitioners[0].id}`]: "on" }),
    );
    expect(theirTreatment).toMatchObject({ status: "error", message: expect.stringMatching(/not found/i) });
    const byStaff = await runMemberAction(
      staff,
      setTreatmentPractitionersAction,
      form({ id: mine.service.id, [`${OFFERED_BY}${mine.practitioners[0].id}`]: "on" }),
    );
    expect(byStaff.status).toBe("error");
    const garbage = await runMemberAction(
      owner,
      setTreatmentPractitionersAction,
      form({ id: mine.service.id, [`${OFFERED_BY}not-a-uuid`]: "on" }),
    );
    expect(garbage).toMatchObject({ status: "error" });
    expect(await db.select().from(practitionerServices)).toEqual([]);
  });
});
