import { describe, expect, it } from "vitest";
import { NotifiedEvents } from "@/lib/jobs/postgres/notified-events";

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
});
