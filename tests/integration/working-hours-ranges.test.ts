import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMemberAction } from "@/lib/auth/action";
import { findFreeSlots } from "@/lib/booking/availability";
import { addTimeOffAction, setWorkingHoursAction } from "@/lib/clinic/schedule";
import { db } from "@/lib/db/client";
import { timeOff, workingHours } from "@/lib/db/schema";
import { createClinic, createMember, form } from "../fixtures/clinic";

describe("working hours with several ranges a day", () => {
  it("saves a morning and an afternoon around lunch, and offers no slot over lunch", async () => {
    const fixture = await createClinic({ timeZone: "UTC" });
    const owner = await createMember(fixture.clinic, "owner");
    const pid = fixture.practitioners[0].id;
    const state = await runMemberAction(
      owner,
      setWorkingHoursAction,
      // Monday (1): the afternoon typed first; the third range unused.
      form({ practitionerId: pid, start_1: "13:30", end_1: "17:00", start_1_2: "09:00", end_1_2: "12:30" }),
    );
    expect(state.status).toBe("ok");
    const rows = await db.select().from(workingHours).where(eq(workingHours.practitionerId, pid));
    expect(rows.map((row) => [row.weekday, row.startMinute, row.endMinute]).sort()).toEqual(
      [
        [1, 13 * 60 + 30, 17 * 60],
        [1, 9 * 60, 12 * 60 + 30],
      ].sort(),
    );

    // Monday 7 December 2026.
    const { slots } = await findFreeSlots(
      fixture.clinic,
      { serviceId: fixture.service.id, practitionerId: pid, date: "2026-12-07" },
      { now: new Date("2026-12-01T00:00:00Z") },
    );
    const times = slots.map((slot) => slot.start.slice(11, 16));
    expect(times).toContain("12:00"); // 12:00-12:30 fits the morning
    expect(times).not.toContain("12:15");
    expect(times.filter((time) => time > "12:00" && time < "13:30")).toEqual([]);
    expect(times).toContain("13:30");
    expect(times.at(-1)).toBe("16:30");
  });

  it("refuses overlapping or half-filled ranges, changing nothing", async () => {
    const fixture = await createClinic({ timeZone: "UTC" });
    const owner = await createMember(fixture.clinic, "owner");
    const pid = fixture.practitioners[0].id;
    const before = await db.select().from(workingHours).where(eq(workingHours.practitionerId, pid));
    const state = await runMemberAction(
      owner,
      setWorkingHoursAction,
      form({
        practitionerId: pid,
        start_2: "09:00",
        end_2: "13:00",
        start_2_2: "12:00",
        end_2_2: "15:00",
        start_3_3: "10:00",
      }),
    );
    expect(state.status).toBe("error");
    expect(state.fieldErrors).toMatchObject({
      start_2_2: ["Tuesday's ranges overlap"],
      end_3_3: ["Enter both times for Wednesday (range 3), or neither"],
    });
    expect(await db.select().from(workingHours).where(eq(workingHours.practitionerId, pid))).toEqual(before);
  });
});

describe("time off from the form's date and time pickers", () => {
  it("reads each date and time in the clinic's zone; until 24:00 is the end of that day", async () => {
    const fixture = await createClinic({ timeZone: "America/New_York" });
    const owner = await createMember(fixture.clinic, "owner");
    const pid = fixture.practitioners[0].id;
    const state = await runMemberAction(
      owner,
      addTimeOffAction,
      form({
        practitionerId: pid,
        startsDate: "2030-07-01",
        startsTime: "13:30",
        endsDate: "2030-07-02",
        endsTime: "24:00",
        reason: "Course",
      }),
    );
    expect(state.status).toBe("ok");
    // New York is UTC-4 in July.
    const [row] = await db.select().from(timeOff).where(eq(timeOff.practitionerId, pid));
    expect(row).toMatchObject({
      startsAt: new Date("2030-07-01T17:30:00Z"),
      endsAt: new Date("2030-07-03T04:00:00Z"),
      reason: "Course",
    });
  });
});
