import { describe, expect, it } from "vitest";
import {
  formatClinicDateTimeRange,
  formatClinicTime,
  formatClinicTimeRange,
  formatLocalDate,
  formatTimeOfDay,
  minutesToTime,
  timeOfDayOptions,
} from "@/lib/format/clinic-time";

/** Times as a clinic reads them: its zone, and its locale's 24- or 12-hour clock. */

const afternoon = new Date("2026-07-01T13:30:00Z"); // 14:30 in London (BST), 09:30 in New York (EDT)

describe("clinic time formatting", () => {
  it("uses the 24-hour clock for en-GB and the 12-hour clock for en-US, in the clinic's zone", () => {
    expect(formatClinicTime(afternoon, { timeZone: "Europe/London", locale: "en-GB" })).toBe("14:30");
    expect(formatClinicTime(afternoon, { timeZone: "Europe/London", locale: "en-US" })).toMatch(/^2:30\sPM$/);
    expect(formatClinicTime(afternoon, { timeZone: "America/New_York", locale: "en-US" })).toMatch(/^9:30\sAM$/);
  });

  it("writes ranges the locale's way", () => {
    const end = new Date(afternoon.getTime() + 45 * 60_000);
    expect(formatClinicTimeRange(afternoon, end, { timeZone: "Europe/London", locale: "en-GB" })).toBe("14:30–15:15");
    expect(formatClinicTimeRange(afternoon, end, { timeZone: "Europe/London", locale: "en-US" })).toMatch(
      /^2:30\s–\s3:15\sPM$/,
    );
    const nextDay = new Date(afternoon.getTime() + 24 * 3_600_000);
    expect(formatClinicDateTimeRange(afternoon, nextDay, { timeZone: "Europe/London", locale: "en-GB" })).toMatch(
      /^Wed 1 Jul, 14:30\s–\sThu 2 Jul, 14:30$/,
    );
  });

  it("falls back to en-GB for a locale the runtime does not know, rather than failing the page", () => {
    expect(formatClinicTime(afternoon, { timeZone: "Europe/London", locale: "not a locale!" })).toBe("14:30");
  });

  it("names a calendar date without shifting it by the server's zone", () => {
    // ICU versions differ on the comma after the weekday; the day itself must not move.
    expect(formatLocalDate("2026-11-30", "en-GB")).toMatch(/^Monday,? 30 November 2026$/);
    expect(formatLocalDate("2026-11-30", "en-US", "short")).toMatch(/^Mon,? Nov 30$/);
  });
});

describe("the time pickers' labels", () => {
  it("name each time of day the clinic's way, 24:00 included, whatever the browser would", () => {
    expect(formatTimeOfDay(13 * 60 + 30, "en-GB")).toBe("13:30");
    expect(formatTimeOfDay(13 * 60 + 30, "en-US")).toMatch(/^1:30\sPM$/);
    expect(formatTimeOfDay(0, "en-GB")).toBe("00:00");
    expect(formatTimeOfDay(1440, "en-GB")).toBe("24:00");
    expect(formatTimeOfDay(1440, "en-US")).toMatch(/^12:00\sAM \(end of day\)$/);
    const options = timeOfDayOptions("en-GB", 15);
    expect(options).toHaveLength(97);
    expect([options[0], options[1], options[38], options[96]]).toEqual([
      { value: "00:00", label: "00:00" },
      { value: "00:15", label: "00:15" },
      { value: "09:30", label: "09:30" },
      { value: "24:00", label: "24:00" },
    ]);
    expect(timeOfDayOptions("en-US", 15)[54]).toMatchObject({
      value: "13:30",
      label: expect.stringMatching(/^1:30\sPM$/),
    });
    expect(minutesToTime(570)).toBe("09:30");
  });
});
