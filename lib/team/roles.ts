/**
 * What an invited member may do, in the words every page and email about the team uses
 * (the team page, the invitation page and email, the 403 page). Plain data: client and
 * server code, and emails, import it.
 */
export const ROLE_SUMMARY = {
  staff: "see and manage the clinic's appointments",
  admin: "manage the clinic's appointments, treatments, practitioners, reports, settings and team",
} as const;

type Role = "owner" | "admin" | "staff";

/**
 * Why `manager` may not change or remove `person`, or null when they may: no one changes
 * or removes themselves or an owner, and an admin is an owner's to manage. The team page
 * shows its buttons by this; lib/team/members.ts refuses by it.
 */
export function memberRefusal(
  manager: { userId: string; role: Role },
  person: { userId: string; role: Role },
): string | null {
  if (person.userId === manager.userId) return "You cannot change or remove yourself.";
  if (person.role === "owner") return "An owner cannot be changed or removed.";
  if (person.role === "admin" && manager.role !== "owner") return "Only an owner can manage an admin.";
  return null;
}

/** Inviting someone as an admin, and resending or withdrawing that invitation, is an owner's alone. */
export function handlesInvitationFor(managerRole: Role, role: Role): boolean {
  return role !== "admin" || managerRole === "owner";
}
