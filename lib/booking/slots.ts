import { isoWeekday, wallClockToInstant } from "./wall-clock";

/**
 * Free slots for one day: each practitioner's working hours (wall-clock, in the
 * clinic's zone) minus their bookings and time off. Pure: the caller loads the rows
 * (lib/booking/availability.ts), so this runs the same in tests under any TZ.
 */

export type Interval = { start: Date; end: Date };
/** A booking's interval runs to the end of its buffer; `booking` marks it, since a new buffer must clear it too. */
export type BusyInterval = Interval & { booking?: boolean };

export type PractitionerDay = {
  practitionerId: string;
  /** Weekly hours: weekday 1 = Monday ... 7 = Sunday, minutes after local midnight. */
  hours: { weekday: number; startMinute: number; endMinute: number }[];
  /** Active bookings (to their buffer's end) and time off; anything overlapping a slot removes it. */
  busy: BusyInterval[];
};

type AppointmentLength = { durationMinutes: number; bufferMinutes: number };

/**
 * An appointment's times from its start: it ends after `length.durationMinutes`, and holds
 * its practitioner until its buffer is over as well (`blockedUntil`, null without a buffer).
 */
export function appointmentTimes(start: Date, length: AppointmentLength) {
  const endsAt = new Date(start.getTime() + length.durationMinutes * MINUTE);
  const blockedUntil = length.bufferMinutes > 0 ? new Date(endsAt.getTime() + length.bufferMinutes * MINUTE) : null;
  return { startsAt: start, endsAt, blockedUntil };
}

/** The length and buffer a booking was made with (appointmentTimes' inverse): a move keeps them. */
export function bookedLength(booking: { startsAt: Date; endsAt: Date; blockedUntil: Date | null }): AppointmentLength {
  const minutes = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / MINUTE);
  return {
    durationMinutes: minutes(booking.startsAt, booking.endsAt),
    bufferMinutes: booking.blockedUntil ? minutes(booking.endsAt, booking.blockedUntil) : 0,
  };
}

/** A bookable start time and who is free then; `start` is an ISO instant. */
export type Slot = { start: string; practitionerIds: string[] };

export const SLOT_STEP_MINUTES = 15;

const MINUTE = 60_000;

function overlaps(a: Interval, b: Interval) {
  return a.start < b.end && b.start < a.end;
}

/** The instants a local day covers: [local midnight, next local midnight). 23 or 25 hours on clock-change days. */
export function localDayInterval(date: string, timeZone: string): Interval {
  return { start: wallClockToInstant(date, 0, timeZone), end: wallClockToInstant(date, 1440, timeZone) };
}

/** Each working window of `practitioner` on `date`, as instants (ms). */
function windowsOf(practitioner: PractitionerDay, date: string, timeZone: string) {
  const weekday = isoWeekday(date);
  // Convert the window's ends, then step in real time: on a clock-change day a
  // window spanning the change is an hour shorter or longer, as it is in reality.
  return practitioner.hours
    .filter((h) => h.weekday === weekday)
    .map((hours) => ({
      start: wallClockToInstant(date, hours.startMinute, timeZone).getTime(),
      end: wallClockToInstant(date, hours.endMinute, timeZone).getTime(),
    }));
}

type SlotOptions = {
  date: string;
  timeZone: string;
  durationMinutes: number;
  /**
   * Kept free after the appointment, from other bookings only: it may run past the end of
   * the working hours or into time off (a room is cleaned, notes written, before leaving).
   */
  bufferMinutes?: number;
  practitioners: PractitionerDay[];
  stepMinutes?: number;
};

type FreeStartOptions = SlotOptions & {
  /** Slots starting before this instant are not offered (the past, the minimum notice). */
  notBefore?: Date;
};

/** Every (start in ms, practitioner) that is free for the whole treatment, practitioner by practitioner. */
function* freeStarts(options: FreeStartOptions): Generator<[number, string]> {
  const { date, timeZone, durationMinutes, bufferMinutes = 0, stepMinutes = SLOT_STEP_MINUTES, notBefore } = options;
  for (const practitioner of options.practitioners) {
    for (const window of windowsOf(practitioner, date, timeZone)) {
      for (let start = window.start; start + durationMinutes * MINUTE <= window.end; start += stepMinutes * MINUTE) {
        const slot = { start: new Date(start), end: new Date(start + durationMinutes * MINUTE) };
        const held = { start: slot.start, end: new Date(slot.end.getTime() + bufferMinutes * MINUTE) };
        if (notBefore && slot.start < notBefore) continue;
        if (practitioner.busy.some((busy) => overlaps(busy.booking ? held : slot, busy))) continue;
        yield [start, practitioner.practitionerId];
      }
    }
  }
}

export function computeSlots(options: FreeStartOptions): Slot[] {
  const byStart = new Map<number, string[]>();
  for (const [start, practitionerId] of freeStarts(options)) {
    const free = byStart.get(start) ?? [];
    if (!free.includes(practitionerId)) free.push(practitionerId);
    byStart.set(start, free);
  }
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, practitionerIds]) => ({ start: new Date(start).toISOString(), practitionerIds }));
}

/** Whether computeSlots would offer anything: it stops at the first free slot. */
export function hasFreeSlot(options: FreeStartOptions): boolean {
  return !freeStarts(options).next().done;
}

/**
 * Why computeSlots does not offer `start` (a future time on `date`): no practitioner
 * works then for the whole treatment ("outside-hours"), it lies in a working window
 * but between two steps of the grid ("off-grid"), or it is on the grid and a booking
 * or time off has it ("busy").
 */
export function whyNotOffered(start: Date, options: SlotOptions): "outside-hours" | "off-grid" | "busy" {
  const { date, timeZone, durationMinutes, stepMinutes = SLOT_STEP_MINUTES } = options;
  const at = start.getTime();
  let insideHours = false;
  for (const practitioner of options.practitioners) {
    for (const window of windowsOf(practitioner, date, timeZone)) {
      if (at < window.start || at + durationMinutes * MINUTE > window.end) continue;
      insideHours = true;
      if ((at - window.start) % (stepMinutes * MINUTE) === 0) return "busy";
    }
  }
  return insideHours ? "off-grid" : "outside-hours";
}
