import { describe, expect, it } from "vitest";
import { formatMonth, lastDayOf, monthCalendar, parseMonth, shiftMonth } from "@/lib/booking/month-calendar";

describe("the month grid", () => {
  it("does month arithmetic across years", () => {
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2027-01", -1)).toBe("2026-12");
    expect(lastDayOf("2028-02")).toBe("2028-02-29");
    expect(parseMonth("2026-13")).toBeNull();
    expect(parseMonth("2026-1")).toBeNull();
    expect(formatMonth("2026-12")).toBe("December 2026");
  });

  it("lays weeks out Monday to Sunday and marks days free, full or closed", () => {
    // February 2027 starts on a Monday and has exactly four weeks.
    const grid = monthCalendar("2027-02", { first: "2027-02-10", last: "2027-03-20" }, new Set(["2027-02-12"]));
    expect(grid.weeks).toHaveLength(4);
    expect(grid.weeks[0][0]).toEqual({ date: "2027-02-01", state: "closed" });
    expect(grid.weeks[1][4]).toEqual({ date: "2027-02-12", state: "free" });
    expect(grid.weeks[1][5]).toEqual({ date: "2027-02-13", state: "full" });
    expect(grid.previous).toBeUndefined();
    expect(grid.next).toBe("2027-03");

    // March 2027 starts on a Monday too; August 2027 starts on a Sunday: six leading blanks, padded last week.
    const august = monthCalendar("2027-08", { first: "2027-07-01", last: "2027-08-15" }, new Set());
    expect(august.weeks[0].slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(august.weeks[0][6]?.date).toBe("2027-08-01");
    expect(august.weeks.every((week) => week.length === 7)).toBe(true);
    expect(august.previous).toBe("2027-07");
    expect(august.next).toBeUndefined();
  });
});
