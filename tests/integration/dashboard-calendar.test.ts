import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { practitioners } from "@/lib/db/schema";
import { loadCalendar } from "@/lib/calendar/load-calendar";
import { calendarHref, calendarRange, EVERYONE } from "@/lib/calendar/range";
import { listUpcoming } from "@/lib/clinic/appointments";
import { createBooking, createClient, createClinic, createService } from "./job-fixtures";

/** The dashboard's day and week views: which days a URL means, and whose appointments land in which cell. */

const member = (clinic: Awaited<ReturnType<typeof createClinic>>["clinic"]) => ({
  user: { id: "u", name: "U", email: "u@example.com" },
  clinic,
  role: "staff" as const,
});

describe("calendarRange", () => {
  const now = new Date("2026-11-30T23:30:00Z"); // Monday 30 Nov in London, already Tuesday 1 Dec in Tokyo

  it("opens on today's day in the clinic's zone", () => {
    expect(calendarRange({}, "Europe/London", now)).toMatchObject({ view: "day", days: ["2026-11-30"] });
    expect(calendarRange({}, "Asia/Tokyo", now)).toMatchObject({ view: "day", days: ["2026-12-01"] });
  });

  it("shows a Monday-to-Sunday week around the date, with links a week apart", () => {
    const range = calendarRange({ view: "week", date: "2026-12-03" }, "Europe/London", now);
    expect(range.days).toEqual([
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
      "2026-12-03",
      "2026-12-04",
      "2026-12-05",
      "2026-12-06",
    ]);
    expect([range.previous, range.next]).toEqual(["2026-11-26", "2026-12-10"]);
  });

  it("treats a date that does not exist or an unknown view as today's day view", () => {
    for (const params of [{ date: "2026-02-30" }, { date: "yesterday" }, { view: "month", date: "2026-12-03" }]) {
      expect(calendarRange(params, "Europe/London", now).days.length).toBe(1);
    }
    expect(calendarRange({ date: "2026-02-30" }, "Europe/London", now).date).toBe("2026-11-30");
  });

  it("reads whose appointments to show, and its links keep that practitioner", () => {
    const id = crypto.randomUUID();
    const range = (practitioner?: string | string[]) =>
      calendarRange({ view: "week", date: "2026-12-03", practitioner }, "Europe/London", now).practitioner;
    expect(range(id)).toEqual({ id });
    expect(range([id, "other"])).toEqual({ id });
    expect(range("not-an-id")).toEqual({ invalid: "not-an-id" });
    for (const everyone of [undefined, ""]) expect(range(everyone)).toBeNull();
    expect(calendarHref("day", "2026-12-03", id)).toBe(`/dashboard?view=day&date=2026-12-03&practitioner=${id}`);
    expect(calendarHref("day", "2026-12-03")).toBe("/dashboard?view=day&date=2026-12-03");
  });

  it("opens on the remembered choice when the link names no one; the link's own choice wins", () => {
    const [remembered, linked] = [crypto.randomUUID(), crypto.randomUUID()];
    const range = (practitioner: string | undefined, cookie: string | undefined) =>
      calendarRange({ practitioner }, "Europe/London", now, cookie);
    expect(range(undefined, remembered)).toMatchObject({ practitioner: { id: remembered }, choiceFrom: "remembered" });
    expect(range(undefined, EVERYONE)).toMatchObject({ practitioner: null, choiceFrom: "remembered" });
    expect(range(linked, remembered)).toMatchObject({ practitioner: { id: linked }, choiceFrom: "link" });
    // "Everyone" in the link wins over a remembered practitioner.
    expect(range("", remembered)).toMatchObject({ practitioner: null, choiceFrom: "link" });
    // No cookie, or a cookie that is neither an id nor "everyone": no one chose.
    for (const cookie of [undefined, "not-an-id"])
      expect(range(undefined, cookie)).toMatchObject({ practitioner: null, choiceFrom: "default" });
  });
});

/** A New York clinic with two practitioners, Dr Alex Morgan and Blake Young, and a way to book either. */
async function newYorkClinicOfTwo() {
  const { clinic, practitioner } = await createClinic({ timeZone: "America/New_York" });
  const [second] = await db.insert(practitioners).values({ clinicId: clinic.id, name: "Blake Young" }).returning();
  const service = await createService(clinic.id, "Check-up", 4500);
  const client = await createClient(clinic.id, "Casey Client");
  const book = (practitionerId: string, startsAt: string) =>
    createBooking({
      clinicId: clinic.id,
      practitionerId,
      serviceId: service.id,
      clientId: client.id,
      startsAt,
      priceMinor: 4500,
    });
  return { clinic, practitioner, second, book };
}

describe("loadCalendar", () => {
  it("puts each appointment in its practitioner's column on its local day, and only this clinic's", async () => {
    const { clinic, practitioner, second, book } = await newYorkClinicOfTwo();
    // 23:30 on Wednesday 2 Dec in New York is already Thursday in UTC.
    const lateWednesday = await book(practitioner.id, "2026-12-03T04:30:00Z");
    const thursday = await book(second.id, "2026-12-03T15:00:00Z");
    const nextWeek = await book(second.id, "2026-12-08T15:00:00Z");

    const other = await createClinic({ timeZone: "America/New_York" });
    const otherService = await createService(other.clinic.id, "Other", 1000);
    const otherClient = await createClient(other.clinic.id, "Not Yours");
    await createBooking({
      clinicId: other.clinic.id,
      practitionerId: other.practitioner.id,
      serviceId: otherService.id,
      clientId: otherClient.id,
      startsAt: "2026-12-03T15:00:00Z",
      priceMinor: 1000,
    });

    const range = calendarRange({ view: "week", date: "2026-12-02" }, clinic.timeZone);
    const calendar = await loadCalendar(member(clinic), range);
    expect(calendar.practitioners.map((p) => p.name)).toEqual(["Blake Young", "Dr Alex Morgan"]);
    expect(calendar.total).toBe(2);
    const ids = (date: string, id: string) => calendar.entriesFor(date, id).map((entry) => entry.booking.id);
    expect(ids("2026-12-02", practitioner.id)).toEqual([lateWednesday.id]);
    expect(ids("2026-12-03", practitioner.id)).toEqual([]);
    expect(ids("2026-12-03", second.id)).toEqual([thursday.id]);
    expect(range.days.flatMap((day) => ids(day, second.id))).not.toContain(nextWeek.id);

    const theirs = await loadCalendar(member(other.clinic), range);
    expect(theirs.practitioners.map((p) => p.id)).toEqual([other.practitioner.id]);
    expect(range.days.flatMap((day) => theirs.entriesFor(day, practitioner.id))).toEqual([]);
    expect(theirs.total).toBe(1);
  });

  it("narrows the week and Coming up to one practitioner, and refuses another clinic's", async () => {
    const { clinic, practitioner, second, book } = await newYorkClinicOfTwo();
    const wednesday = await book(practitioner.id, "2026-12-02T15:00:00Z");
    const thursday = await book(second.id, "2026-12-03T15:00:00Z");
    const nextWeek = await book(second.id, "2026-12-08T15:00:00Z");
    const other = await createClinic({ timeZone: "America/New_York" });
    const week = (practitioner?: string) =>
      calendarRange({ view: "week", date: "2026-12-02", practitioner }, clinic.timeZone);
    const bookedIn = (calendar: Awaited<ReturnType<typeof loadCalendar>>, range: ReturnType<typeof week>) =>
      calendar.practitioners.flatMap((p) => range.days.flatMap((day) => calendar.entriesFor(day, p.id)));

    const blakes = await loadCalendar(member(clinic), week(second.id));
    expect(blakes.chosen).toMatchObject({ id: second.id, name: "Blake Young" });
    expect(blakes.practitioners.map((p) => p.name)).toEqual(["Blake Young"]);
    expect(bookedIn(blakes, week(second.id)).map((entry) => entry.booking.id)).toEqual([thursday.id]);
    expect(blakes).toMatchObject({ total: 1, unknownPractitioner: false });
    expect(blakes.choices.map((p) => p.name)).toEqual(["Blake Young", "Dr Alex Morgan"]);

    // Another clinic's practitioner, or a value no id can be: everyone's columns, and a notice.
    for (const foreign of [other.practitioner.id, "not-an-id"]) {
      const calendar = await loadCalendar(member(clinic), week(foreign));
      expect(calendar).toMatchObject({ chosen: null, unknownPractitioner: true, total: 2 });
      expect(calendar.practitioners.map((p) => p.name)).toEqual(["Blake Young", "Dr Alex Morgan"]);
      expect(
        bookedIn(calendar, week(foreign))
          .map((entry) => entry.booking.id)
          .sort(),
      ).toEqual([wednesday.id, thursday.id].sort());
    }

    // Remembered by this browser but not this clinic's (a member of two clinics): everyone, with no notice.
    const lapsed = await loadCalendar(
      member(clinic),
      calendarRange({ view: "week", date: "2026-12-02" }, clinic.timeZone, undefined, other.practitioner.id),
    );
    expect(lapsed).toMatchObject({ chosen: null, unknownPractitioner: false, total: 2 });

    // "Coming up" from Tuesday 1 Dec (New York): the next two weeks, everyone's or Blake's.
    const tuesday = new Date("2026-12-01T17:00:00Z");
    const upcoming = async (practitionerId?: string) =>
      (await listUpcoming(member(clinic), tuesday, practitionerId)).map((row) => row.booking.id);
    expect(await upcoming()).toEqual([wednesday.id, thursday.id, nextWeek.id]);
    expect(await upcoming(second.id)).toEqual([thursday.id, nextWeek.id]);
    expect(await upcoming(other.practitioner.id)).toEqual([]);
  });

  it("opens a member who is one of the practitioners on their own column until something else is chosen", async () => {
    const { clinic, practitioner, second, book } = await newYorkClinicOfTwo();
    const wednesday = await book(practitioner.id, "2026-12-02T15:00:00Z");
    const thursday = await book(second.id, "2026-12-03T15:00:00Z");
    // Blake signs in with the email the clinic has for them, in other letter case.
    await db.update(practitioners).set({ email: "Blake.Young@example.com" }).where(eq(practitioners.id, second.id));
    const blake = { ...member(clinic), user: { id: "b", name: "Blake", email: "blake.young@EXAMPLE.com" } };
    const week = (practitioner?: string, cookie?: string) =>
      calendarRange({ view: "week", date: "2026-12-02", practitioner }, clinic.timeZone, undefined, cookie);
    const shown = async (range: ReturnType<typeof week>, who = blake) => {
      const calendar = await loadCalendar(who, range);
      const ids = calendar.practitioners.flatMap((p) => range.days.flatMap((day) => calendar.entriesFor(day, p.id)));
      return {
        columns: calendar.practitioners.map((p) => p.name),
        bookings: ids.map((entry) => entry.booking.id).sort(),
        chosen: calendar.chosen?.name ?? null,
        own: calendar.own?.name ?? null,
        total: calendar.total,
        unknownPractitioner: calendar.unknownPractitioner,
      };
    };
    const everyone = { columns: ["Blake Young", "Dr Alex Morgan"], bookings: [wednesday.id, thursday.id].sort() };

    expect(await shown(week())).toEqual({
      columns: ["Blake Young"],
      bookings: [thursday.id],
      chosen: "Blake Young",
      own: "Blake Young",
      total: 1,
      unknownPractitioner: false,
    });
    // "Everyone" remembered, or in the link, or another practitioner's link: that, not Blake's own column.
    expect(await shown(week(undefined, EVERYONE))).toMatchObject({ ...everyone, chosen: null, own: "Blake Young" });
    expect(await shown(week(""))).toMatchObject({ ...everyone, chosen: null });
    expect(await shown(week(practitioner.id))).toMatchObject({ bookings: [wednesday.id], chosen: "Dr Alex Morgan" });
    // Someone whose email no practitioner has, or a practitioner no longer active: everyone.
    expect(await shown(week(), member(clinic))).toMatchObject({ ...everyone, chosen: null, own: null });
    await db.update(practitioners).set({ active: false }).where(eq(practitioners.id, second.id));
    expect(await shown(week())).toMatchObject({ ...everyone, chosen: null, own: null, unknownPractitioner: false });
  });

  it("keeps an inactive practitioner's column only while they have appointments in the range", async () => {
    const { clinic, practitioner } = await createClinic();
    const [retired] = await db
      .insert(practitioners)
      .values({ clinicId: clinic.id, name: "Retired Rae", active: false })
      .returning();
    const [gone] = await db
      .insert(practitioners)
      .values({ clinicId: clinic.id, name: "Gone Gus", active: false })
      .returning();
    const service = await createService(clinic.id, "Check-up", 4500);
    const client = await createClient(clinic.id, "Casey Client");
    await createBooking({
      clinicId: clinic.id,
      practitionerId: retired.id,
      serviceId: service.id,
      clientId: client.id,
      startsAt: "2026-12-03T10:00:00Z",
      priceMinor: 4500,
    });
    const calendar = await loadCalendar(
      member(clinic),
      calendarRange({ view: "week", date: "2026-12-03" }, "Europe/London"),
    );
    const shown = calendar.practitioners.map((p) => p.id);
    expect(shown).toEqual(expect.arrayContaining([practitioner.id, retired.id]));
    expect(shown).not.toContain(gone.id);
  });
});
