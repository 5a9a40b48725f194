/**
 * What an invited member may do, in the words every page and email about the team uses
 * (the team page, the invitation page and email, the 403 page). Plain data: client and
 * server code, and emails, import it.
 */
export const ROLE_SUMMARY = {
  staff: "see and manage the clinic's appointments",
  admin: "manage the clinic's appointments, treatments, practitioners, reports, settings and team",
} as const;
