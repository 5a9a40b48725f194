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

  it("lists every day of the month, marked free, full or closed, and the months that can be shown", () => {
    const grid = monthCalendar("2027-02", { first: "2027-02-10", last: "2027-03-20" }, new Set(["2027-02-12"]));
    expect(grid.days).toHaveLength(28);
    expect(grid.today).toBe("2027-02-10");
    expect(grid.days[0]).toEqual({ date: "2027-02-01", state: "closed" });
    expect(grid.days[9]).toEqual({ date: "2027-02-10", state: "full" });
    expect(grid.days[11]).toEqual({ date: "2027-02-12", state: "free" });
    expect(grid.days[27]).toEqual({ date: "2027-02-28", state: "full" });
    expect(grid.previous).toBeUndefined();
    expect(grid.next).toBe("2027-03");

    // A leap February; the horizon ends mid-month, so later days are closed and there is no next month.
    const leap = monthCalendar("2028-02", { first: "2028-01-20", last: "2028-02-15" }, new Set());
    expect(leap.days.map((day) => day.date).at(-1)).toBe("2028-02-29");
    expect(leap.days.find((day) => day.date === "2028-02-15")?.state).toBe("full");
    expect(leap.days.find((day) => day.date === "2028-02-16")?.state).toBe("closed");
    expect(leap.previous).toBe("2028-01");
    expect(leap.next).toBeUndefined();
  });
});
