import { describe, expect, it } from "vitest";
import {
  NOTIFIED_EVENT_BYTES_MAX,
  NOTIFIED_EVENTS_KEPT_MAX,
  NOTIFIED_EVENTS_MAX,
  NotifiedEvents,
  notifyPayload,
} from "@/lib/jobs/postgres/notified-events";

describe("notifyPayload", () => {
  it("names up to NOTIFIED_EVENTS_MAX events on Postgres, in a payload the worker reads back", () => {
    const ids = Array.from({ length: NOTIFIED_EVENTS_MAX }, (_, index) => `event-${index}, "quoted"`);
    const notified = new NotifiedEvents();
    notified.note(notifyPayload("postgres", ids));
    expect(notified.take()).toEqual(ids);
  });

  it("sends the driver's name alone for more events, ids too long to fit, or Inngest", () => {
    expect(
      notifyPayload(
        "postgres",
        Array.from({ length: NOTIFIED_EVENTS_MAX + 1 }, (_, index) => `e${index}`),
      ),
    ).toBe("postgres");
    expect(notifyPayload("postgres", ["x".repeat(NOTIFIED_EVENT_BYTES_MAX)])).toBe("postgres");
    expect(notifyPayload("inngest", ["a"])).toBe("inngest");
  });
});

describe("NotifiedEvents", () => {
  it("keeps the event ids a sendEvent NOTIFY names until the next claim takes them", () => {
    const notified = new NotifiedEvents();
    notified.note('postgres:["a", "b"]');
    notified.note('postgres:["b", "c"]');
    expect(notified.take()).toEqual(["a", "b", "c"]);
    expect(notified.take()).toEqual([]);
  });

  it("names nothing for the other payloads, or a list it cannot read", () => {
    const notified = new NotifiedEvents();
    for (const payload of [
      "postgres",
      "inngest",
      "postgres:",
      "postgres:[1, null]",
      'postgres:{"id":"a"}',
      "postgres:[oops",
    ])
      notified.note(payload);
    expect(notified.take()).toEqual([]);
  });

  it("drops the names while claims come back full, so a new event does not jump a backlog", () => {
    const notified = new NotifiedEvents();
    notified.note('postgres:["early"]');
    notified.claimed(10, 10);
    notified.note('postgres:["late"]');
    expect(notified.take()).toEqual([]);
    notified.claimed(10, 3);
    notified.note('postgres:["idle"]');
    expect(notified.take()).toEqual(["idle"]);
  });

  it("drops the names once more pile up than a claim should take, until a claim comes back short", () => {
    const notified = new NotifiedEvents();
    const ids = Array.from({ length: NOTIFIED_EVENTS_KEPT_MAX }, (_, index) => `event-${index}`);
    notified.note(`postgres:${JSON.stringify(ids)}`);
    notified.note('postgres:["one-too-many"]');
    notified.note('postgres:["after"]');
    expect(notified.take()).toEqual([]);
    notified.claimed(10, 0);
    notified.note('postgres:["idle"]');
    expect(notified.take()).toEqual(["idle"]);
  });
});
