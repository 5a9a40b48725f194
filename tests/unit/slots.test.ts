import { afterAll, describe, expect, it } from "vitest";
import { computeSlots, localDayInterval, type PractitionerDay } from "@/lib/booking/slots";
import { formatTime, isClockChangeDay, localDateOf, wallClockToInstant } from "@/lib/booking/wall-clock";

// The server's own zone must never leak into slot arithmetic: every case below is
// rerun under several process time zones (Node applies a changed TZ at runtime).
const SERVER_ZONES = [
  "UTC",
  "Europe/London",
  "America/Los_Angeles",
  "Asia/Kolkata",
  "Australia/Sydney",
  "Pacific/Chatham",
];
const originalTz = process.env.TZ;
afterAll(() => {
  process.env.TZ = originalTz;
});

const hours = (weekday: number, start: string, end: string) => {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return { weekday, startMinute: minutes(start), endMinute: minutes(end) };
};

function slotsFor(
  date: string,
  timeZone: string,
  person: Partial<PractitionerDay> & { hours: PractitionerDay["hours"] },
  durationMinutes = 30,
  stepMinutes = 30,
) {
  return computeSlots({
    date,
    timeZone,
    durationMinutes,
    stepMinutes,
    practitioners: [{ practitionerId: "p1", busy: [], ...person }],
  }).map((s) => s.start);
}

const iso = (...values: string[]) => values.map((v) => new Date(v).toISOString());

describe.each(SERVER_ZONES)("slots with the server in %s", (serverZone) => {
  process.env.TZ = serverZone;
  it("really runs under that zone", () => {
    process.env.TZ = serverZone;
    const offset = new Date("2026-01-15T12:00:00Z").getTimezoneOffset();
    expect(offset).toBe(
      {
        UTC: 0,
        "Europe/London": 0,
        "America/Los_Angeles": 480,
        "Asia/Kolkata": -330,
        "Australia/Sydney": -660,
        "Pacific/Chatham": -825,
      }[serverZone],
    );
  });

  it("reads London working hours as GMT in winter and BST in summer", () => {
    process.env.TZ = serverZone;
    expect(slotsFor("2026-03-23", "Europe/London", { hours: [hours(1, "09:00", "11:00")] }, 60, 60)).toEqual(
      iso("2026-03-23T09:00Z", "2026-03-23T10:00Z"),
    );
    expect(slotsFor("2026-03-30", "Europe/London", { hours: [hours(1, "09:00", "11:00")] }, 60, 60)).toEqual(
      iso("2026-03-30T08:00Z", "2026-03-30T09:00Z"),
    );
  });

  it("gives a night shift three real hours on the March change (29 March 2026, 01:00 -> 02:00)", () => {
    process.env.TZ = serverZone;
    const slots = slotsFor("2026-03-29", "Europe/London", { hours: [hours(7, "00:00", "04:00")] });
    expect(slots).toEqual(
      iso(
        "2026-03-29T00:00Z",
        "2026-03-29T00:30Z",
        "2026-03-29T01:00Z",
        "2026-03-29T01:30Z",
        "2026-03-29T02:00Z",
        "2026-03-29T02:30Z",
      ),
    );
    expect(slots.map((s) => formatTime(new Date(s), "Europe/London"))).toEqual([
      "00:00",
      "00:30",
      "02:00",
      "02:30",
      "03:00",
      "03:30",
    ]);
    expect(slotsFor("2026-03-29", "Europe/London", { hours: [hours(7, "09:00", "10:00")] })).toEqual(
      iso("2026-03-29T08:00Z", "2026-03-29T08:30Z"),
    );
  });

  it("gives it five real hours on the October change (25 October 2026, 02:00 -> 01:00), 01:00 twice", () => {
    process.env.TZ = serverZone;
    const slots = slotsFor("2026-10-25", "Europe/London", { hours: [hours(7, "00:00", "04:00")] });
    expect(slots).toHaveLength(10);
    expect(slots[0]).toBe(new Date("2026-10-24T23:00Z").toISOString());
    expect(slots.at(-1)).toBe(new Date("2026-10-25T03:30Z").toISOString());
    expect(slots.map((s) => formatTime(new Date(s), "Europe/London", true)).slice(2, 6)).toEqual([
      "01:00 BST",
      "01:30 BST",
      "01:00 GMT",
      "01:30 GMT",
    ]);
    expect(slotsFor("2026-10-25", "Europe/London", { hours: [hours(7, "09:00", "10:00")] })).toEqual(
      iso("2026-10-25T09:00Z", "2026-10-25T09:30Z"),
    );
  });

  it("knows the length of a local day and which days change the clocks", () => {
    process.env.TZ = serverZone;
    const length = (date: string, zone: string) => {
      const day = localDayInterval(date, zone);
      return (day.end.getTime() - day.start.getTime()) / 3_600_000;
    };
    expect([
      length("2026-03-28", "Europe/London"),
      length("2026-03-29", "Europe/London"),
      length("2026-10-25", "Europe/London"),
    ]).toEqual([24, 23, 25]);
    expect([isClockChangeDay("2026-03-29", "Europe/London"), isClockChangeDay("2026-03-30", "Europe/London")]).toEqual([
      true,
      false,
    ]);
    expect(length("2026-04-05", "Australia/Sydney")).toBe(25);
  });

  it("handles clinics in New York and Sydney across their own changes", () => {
    process.env.TZ = serverZone;
    const nine = (date: string, zone: string, weekday: number) =>
      slotsFor(date, zone, { hours: [hours(weekday, "09:00", "09:30")] });
    expect(nine("2026-03-07", "America/New_York", 6)).toEqual(iso("2026-03-07T14:00Z"));
    expect(nine("2026-03-08", "America/New_York", 7)).toEqual(iso("2026-03-08T13:00Z"));
    expect(nine("2026-04-04", "Australia/Sydney", 6)).toEqual(iso("2026-04-03T22:00Z"));
    expect(nine("2026-04-05", "Australia/Sydney", 7)).toEqual(iso("2026-04-04T23:00Z"));
  });

  it("uses the clinic's weekday: Sunday hours apply on a Sunday in London, wherever the server is", () => {
    process.env.TZ = serverZone;
    const person = { hours: [hours(7, "00:00", "01:00")] };
    expect(slotsFor("2026-03-29", "Europe/London", person)).toHaveLength(2);
    expect(slotsFor("2026-03-30", "Europe/London", person)).toHaveLength(0);
    expect(localDateOf(new Date("2026-03-28T23:30:00Z"), "Australia/Sydney")).toBe("2026-03-29");
  });

  it("removes slots overlapping bookings and time off, keeps back-to-back ones, and the past", () => {
    process.env.TZ = serverZone;
    const busy = [
      { start: new Date("2026-03-23T10:00Z"), end: new Date("2026-03-23T10:45Z") },
      { start: new Date("2026-03-23T12:00Z"), end: new Date("2026-03-23T13:00Z") },
    ];
    const slots = computeSlots({
      date: "2026-03-23",
      timeZone: "Europe/London",
      durationMinutes: 30,
      stepMinutes: 15,
      notBefore: new Date("2026-03-23T09:15Z"),
      practitioners: [{ practitionerId: "p1", hours: [hours(1, "09:00", "13:30")], busy }],
    }).map((s) => formatTime(new Date(s.start), "Europe/London"));
    expect(slots).toEqual(["09:15", "09:30", "10:45", "11:00", "11:15", "11:30", "13:00"]);
  });

  it("merges practitioners for “any” and says who is free at each time", () => {
    process.env.TZ = serverZone;
    const slots = computeSlots({
      date: "2026-03-23",
      timeZone: "Europe/London",
      durationMinutes: 60,
      stepMinutes: 60,
      practitioners: [
        {
          practitionerId: "a",
          hours: [hours(1, "09:00", "11:00")],
          busy: [{ start: new Date("2026-03-23T09:00Z"), end: new Date("2026-03-23T10:00Z") }],
        },
        { practitionerId: "b", hours: [hours(1, "10:00", "12:00")], busy: [] },
      ],
    });
    expect(slots).toEqual([
      { start: new Date("2026-03-23T10:00Z").toISOString(), practitionerIds: ["a", "b"] },
      { start: new Date("2026-03-23T11:00Z").toISOString(), practitionerIds: ["b"] },
    ]);
  });

  it("resolves wall-clock times in the gap forward and ambiguous ones to their first occurrence", () => {
    process.env.TZ = serverZone;
    expect(wallClockToInstant("2026-03-29", 90, "Europe/London").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(wallClockToInstant("2026-10-25", 90, "Europe/London").toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(wallClockToInstant("2026-03-29", 1440, "Europe/London").toISOString()).toBe("2026-03-29T23:00:00.000Z");
  });
});
