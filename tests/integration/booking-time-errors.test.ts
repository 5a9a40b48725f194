import { describe, expect, it } from "vitest";
import { runValidated } from "@/lib/auth/action";
import { findFreeSlots } from "@/lib/booking/availability";
import { bookingFormSchema, createBooking, type BookingRequest } from "@/lib/booking/create-booking";
import { BookingTimeError, SlotTakenError } from "@/lib/booking/errors";
import { bookPublicly, createClinic, form } from "../fixtures/clinic";
import { rowCounts } from "../fuzz/inputs";

// Monday 2 March 2026, 10:00 in London (GMT). Practitioners work 09:00-17:00 every day.
const NOW = new Date("2026-03-02T10:00:00Z");
const TAKEN = "That time was just taken. Please choose another.";

describe("a time that cannot be booked says why", async () => {
  const fixture = await createClinic();
  const request = (start: string): BookingRequest => ({
    serviceId: fixture.service.id,
    practitionerId: fixture.practitioners[0].id,
    start,
    name: "Ann Lee",
    email: "ann@example.com",
  });

  async function refusal(start: string) {
    const before = await rowCounts();
    const error = await createBooking(fixture.clinic, request(start), { now: NOW }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(await rowCounts()).toEqual(before);
    return error as BookingTimeError | SlotTakenError | null;
  }

  it.each([
    ["in the past", "2026-03-01T10:00:00Z", "past", /already passed/],
    ["a minute ago", "2026-03-02T09:59:00Z", "past", /already passed/],
    ["inside the hour's notice", "2026-03-02T10:45:00Z", "notice", /1 hour's notice: choose a time from 11:00 on/],
    ["beyond the 60-day horizon", "2026-05-04T10:00:00Z", "horizon", /60 days ahead/],
    ["before opening", "2026-03-03T07:00:00Z", "outside-hours", /07:00 is outside the working hours/],
    ["ending after closing", "2026-03-03T16:45:00Z", "outside-hours", /16:45 is outside the working hours/],
    ["between two slots", "2026-03-03T10:07:00Z", "off-grid", /every 15 minutes, and 10:07 is not one/],
  ])("%s", async (_, start, problem, message) => {
    const error = await refusal(start);
    expect(error).toBeInstanceOf(BookingTimeError);
    expect(error).toMatchObject({ problem, message: expect.stringMatching(message) });
    expect(error?.message).not.toBe(TAKEN);
  });

  it("offers the day's free times with an outside-hours or off-grid refusal", async () => {
    const error = (await refusal("2026-03-03T10:07:00Z")) as BookingTimeError;
    expect(error.remaining[0]).toMatchObject({ start: "2026-03-03T09:00:00.000Z" });
    expect(error.remaining).toHaveLength(31); // 09:00 to 16:30, every 15 minutes
  });

  it("keeps “just taken” for a time someone else has", async () => {
    await createBooking(fixture.clinic, request("2026-03-04T10:00:00Z"), { now: NOW });
    const error = await refusal("2026-03-04T10:00:00Z");
    expect(error).toBeInstanceOf(SlotTakenError);
    expect(error?.message).toBe(TAKEN);
  });

  it("no longer offers slots inside the notice on the booking page", async () => {
    const { slots } = await findFreeSlots(
      fixture.clinic,
      { serviceId: fixture.service.id, practitionerId: "any", date: "2026-03-02" },
      { now: NOW },
    );
    expect(slots[0].start).toBe("2026-03-02T11:00:00.000Z");
  });

  it("through the form: a field error on the time, the free times, and a calendar date that exists", async () => {
    const base = {
      clinic: fixture.clinic.slug,
      serviceId: fixture.service.id,
      practitionerId: "any",
      name: "Ann",
      email: "ann@example.com",
    };
    const past = await runValidated(bookingFormSchema, form({ ...base, start: "2020-01-01T10:00:00Z" }), (input) =>
      bookPublicly(input),
    );
    expect(past).toMatchObject({ status: "error", fieldErrors: { start: [expect.stringMatching(/already passed/)] } });

    const impossible = await runValidated(
      bookingFormSchema,
      form({ ...base, start: "2027-02-30T10:00:00Z" }),
      (input) => bookPublicly(input),
    );
    expect(impossible.fieldErrors).toEqual({ start: ["Choose a time"] });
  });
});
