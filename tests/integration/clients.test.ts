import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMemberAction } from "@/lib/auth/action";
import {
  clientAppointments,
  clientFigures,
  CLIENT_HISTORY_MAX,
  clientSearchSchema,
  CLIENTS_PAGE_SIZE,
  findClient,
  getClient,
  listClients,
  updateClientAction,
} from "@/lib/clinic/clients";
import { NotFoundError } from "@/lib/clinic/errors";
import { db } from "@/lib/db/client";
import { clients, emailOutbox } from "@/lib/db/schema";
import { drain } from "@/lib/jobs/postgres/drain";
import { sendEvent } from "@/lib/jobs/send";
import { form } from "../fixtures/clinic";
import { createClient, createClinicWithMember, hoursFromNow } from "./job-fixtures";

// The clients page below the browser: the list and its figures, search and pages, one
// client's appointments, corrections to their details, and what another clinic cannot see.

const search = (values: Record<string, unknown>) => clientSearchSchema.parse(values);

describe("a clinic's clients", { timeout: 60_000 }, () => {
  it("lists them by name with their visits, no-shows, last visit and next appointment", async () => {
    const { member, book } = await createClinicWithMember();
    const zoe = await createClient(member.clinic.id, "Zoe Zhang");
    const amy = await createClient(member.clinic.id, "amy Adams");
    await book(zoe.id, hoursFromNow(-24 * 30), "completed");
    const lastVisit = await book(zoe.id, hoursFromNow(-24 * 7), "completed");
    await book(zoe.id, hoursFromNow(-24 * 3), "no_show");
    await book(zoe.id, hoursFromNow(-24 * 2), "cancelled");
    const next = await book(zoe.id, hoursFromNow(24 * 5));
    await book(zoe.id, hoursFromNow(24 * 9));
    const other = await createClinicWithMember();
    await createClient(other.clinic.id, "Another Clinic's Client");

    const { clients: rows, hasMore } = await listClients(member, search({}));
    expect(hasMore).toBe(false);
    // By name, whatever its case; another clinic's client is not there.
    expect(rows.map((row) => row.name)).toEqual(["amy Adams", "Zoe Zhang"]);
    expect(rows[0]).toMatchObject({ id: amy.id, appointments: 0, noShows: 0, lastVisit: null, nextAppointment: null });
    expect(rows[1]).toMatchObject({ id: zoe.id, email: zoe.email, appointments: 5, noShows: 1 });
    // The no-show three days ago was no visit.
    expect(rows[1].lastVisit).toEqual(lastVisit.startsAt);
    expect(rows[1].nextAppointment).toEqual(next.startsAt);
  });

  it("finds them by any part of the name, email or phone, and takes %, _ and \\ as typed", async () => {
    const { member } = await createClinicWithMember();
    await db.insert(clients).values([
      { clinicId: member.clinic.id, name: "Priya Shah", email: "priya@example.com", phone: "+44 7700 900123" },
      { clinicId: member.clinic.id, name: "Tom O'Neil", email: "tom_oneil@example.org", phone: null },
      { clinicId: member.clinic.id, name: "100% Fit Ltd", email: "office@fit.example", phone: null },
      { clinicId: member.clinic.id, name: "Tomas Ruiz", email: "tomas@example.com", phone: "020 7946 0000" },
      { clinicId: member.clinic.id, name: "Back\\Slash", email: "backslash@example.com", phone: null },
    ]);
    const names = async (q: string) => (await listClients(member, search({ q }))).clients.map((row) => row.name);
    expect(await names("  sHaH ")).toEqual(["Priya Shah"]);
    expect(await names("EXAMPLE.ORG")).toEqual(["Tom O'Neil"]);
    expect(await names("900123")).toEqual(["Priya Shah"]);
    expect(await names("tom")).toEqual(["Tom O'Neil", "Tomas Ruiz"]);
    expect(await names("%")).toEqual(["100% Fit Ltd"]);
    expect(await names("m_o")).toEqual(["Tom O'Neil"]);
    expect(await names("\\")).toEqual(["Back\\Slash"]);
    expect(await names("o'n")).toEqual(["Tom O'Neil"]);
    expect(await names("nobody")).toEqual([]);
  });

  it("pages through a long list, 50 at a time", async () => {
    const { member } = await createClinicWithMember();
    const count = CLIENTS_PAGE_SIZE + 7;
    await db.insert(clients).values(
      Array.from({ length: count }, (_, i) => ({
        clinicId: member.clinic.id,
        name: `Client ${String(i).padStart(3, "0")}`,
        email: `client-${i}@example.com`,
      })),
    );
    const first = await listClients(member, search({ page: "1" }));
    const second = await listClients(member, search({ page: "2" }));
    const third = await listClients(member, search({ page: "3" }));
    expect(first.clients).toHaveLength(CLIENTS_PAGE_SIZE);
    expect(first.hasMore).toBe(true);
    expect(second.clients.map((row) => row.name)).toEqual(
      Array.from({ length: 7 }, (_, i) => `Client ${String(CLIENTS_PAGE_SIZE + i).padStart(3, "0")}`),
    );
    expect(second.hasMore).toBe(false);
    expect(third).toEqual({ clients: [], hasMore: false });
  });

  it("names what is wrong with a search it cannot take", () => {
    const message = (values: Record<string, unknown>) => {
      const parsed = clientSearchSchema.safeParse(values);
      return parsed.success ? "accepted" : parsed.error.issues[0].message;
    };
    expect(message({ q: "x".repeat(101) })).toBe("Keep the search under 100 characters");
    expect(message({ q: ["a", "b"] })).toBe("Search with one piece of text");
    expect(message({ q: "a\u0000b" })).toBe("Remove the invisible control character (U+0000) from the search");
    expect(message({ page: "0" })).toBe("The page must be at least 1");
    expect(message({ page: "two" })).toBe("Enter the page as a whole number");
    expect(message({ q: " ", page: "" })).toBe("accepted");
  });

  it("shows one client's appointments, latest first, and no other clinic's client", async () => {
    const { member, book, practitioner } = await createClinicWithMember();
    const client = await createClient(member.clinic.id, "Hana Ito");
    const past = await book(client.id, hoursFromNow(-48), "completed");
    const cancelled = await book(client.id, hoursFromNow(-24), "cancelled");
    const upcoming = await book(client.id, hoursFromNow(72));
    const other = await createClinicWithMember();
    const theirs = await createClient(other.clinic.id, "Not Yours");

    const found = await getClient(member, client.id);
    expect(found.name).toBe("Hana Ito");
    const history = await clientAppointments(found);
    expect(history.map((a) => a.id)).toEqual([upcoming.id, cancelled.id, past.id]);
    expect(history[0]).toMatchObject({
      treatment: "Sports massage",
      practitioner: practitioner.name,
      priceMinor: 5500,
    });

    await expect(getClient(member, theirs.id)).rejects.toThrow(NotFoundError);
    await expect(getClient(member, "not-an-id")).rejects.toThrow(NotFoundError);
    // The new-booking page's ?client= fills in only this clinic's own clients.
    expect((await findClient(member, client.id))?.email).toBe(client.email);
    for (const value of [theirs.id, "not-an-id", [client.id, client.id], undefined])
      expect(await findClient(member, value)).toBeNull();
  });

  it("counts every appointment in a client's figures, where the page lists the latest 200", async () => {
    const { member, book } = await createClinicWithMember();
    const client = await createClient(member.clinic.id, "Rae Regular");
    const booked = [];
    for (let i = 1; i <= CLIENT_HISTORY_MAX + 5; i++)
      booked.push(await book(client.id, hoursFromNow(-i), i === 1 ? "no_show" : "completed"));
    const history = await clientAppointments(client);
    expect(history).toHaveLength(CLIENT_HISTORY_MAX);
    const figures = await clientFigures(client);
    expect(figures).toMatchObject({ appointments: CLIENT_HISTORY_MAX + 5, noShows: 1, nextAppointment: null });
    // The no-show an hour ago was no visit; the one before it was.
    expect(figures.lastVisit).toEqual(booked[1].startsAt);
    // The list counts the same way.
    const { clients: rows } = await listClients(member, search({ q: "Rae" }));
    expect(rows).toEqual([{ id: client.id, name: client.name, email: client.email, phone: null, ...figures }]);
  });

  it("corrects a client's details; a taken email, a bad phone or another clinic's client changes nothing", async () => {
    const { member } = await createClinicWithMember("staff");
    const client = await createClient(member.clinic.id, "Lee Park");
    const neighbour = await createClient(member.clinic.id, "Kim Park");
    const other = await createClinicWithMember();
    const theirs = await createClient(other.clinic.id, "Their Client");
    const rowOf = async (id: string) => (await db.select().from(clients).where(eq(clients.id, id)))[0];

    // Staff correct details too: the front desk hears the typo first.
    const saved = await runMemberAction(
      member,
      updateClientAction,
      form({
        id: client.id,
        name: "  Lee  Park-Jones ",
        email: " LEE@Example.com ",
        phone: "+44 20 7946 0001",
        notes: " Allergic to latex.\r\nPrefers mornings. ",
      }),
    );
    expect(saved.status).toBe("ok");
    expect(await rowOf(client.id)).toMatchObject({
      name: "Lee  Park-Jones",
      email: "lee@example.com",
      phone: "+44 20 7946 0001",
      notes: "Allergic to latex.\nPrefers mornings.",
    });

    const before = await rowOf(client.id);
    const tooLong = await runMemberAction(
      member,
      updateClientAction,
      form({ id: client.id, name: "Lee", email: "lee@example.com", notes: "x".repeat(1001) }),
    );
    expect(tooLong.fieldErrors?.notes).toEqual(["Keep the notes under 1000 characters"]);
    const taken = await runMemberAction(
      member,
      updateClientAction,
      form({ id: client.id, name: "Lee", email: neighbour.email, phone: "" }),
    );
    expect(taken).toMatchObject({
      status: "error",
      fieldErrors: { email: ["Another client of this clinic has this email. Search for them instead."] },
    });
    const badPhone = await runMemberAction(
      member,
      updateClientAction,
      form({ id: client.id, name: "Lee", email: "lee@example.com", phone: "call me" }),
    );
    expect(badPhone.fieldErrors?.phone?.[0]).toMatch(/digits, spaces/);
    const blankName = await runMemberAction(
      member,
      updateClientAction,
      form({ id: client.id, name: "  ", email: "lee@example.com" }),
    );
    expect(blankName.fieldErrors?.name?.[0]).toBe("Enter the client's name");
    expect(await rowOf(client.id)).toEqual(before);

    // Another clinic's client is not found, and keeps its details; its email is free to use here.
    const foreign = await runMemberAction(
      member,
      updateClientAction,
      form({ id: theirs.id, name: "Taken Over", email: "taken@example.com" }),
    );
    expect(foreign.status).toBe("error");
    expect(await rowOf(theirs.id)).toMatchObject({ name: "Their Client", email: theirs.email });
    const sameAsTheirs = await runMemberAction(
      member,
      updateClientAction,
      form({ id: client.id, name: "Lee Park", email: theirs.email }),
    );
    expect(sameAsTheirs.status).toBe("ok");
  });

  it("sends a confirmation not yet sent to the corrected address", async () => {
    const { member, book } = await createClinicWithMember();
    const client = await createClient(member.clinic.id, "Ola Nowak");
    const booking = await book(client.id, hoursFromNow(24 * 4));
    await sendEvent({ name: "booking/created", data: { bookingId: booking.id, clinicId: member.clinic.id } });
    const corrected = await runMemberAction(
      member,
      updateClientAction,
      form({ id: client.id, name: "Ola Nowak", email: "ola.nowak@example.com" }),
    );
    expect(corrected.status).toBe("ok");
    expect(await drain({ budgetMs: 30_000 })).toMatchObject({ failed: 0 });
    const sent = await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, "ola.nowak@example.com"));
    expect(sent.map((email) => email.subject)).toEqual([expect.stringMatching(/^Booked: Sports massage/)]);
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, client.email))).toEqual([]);
  });
});
