import "server-only";

/** The channel every write that makes work NOTIFYs at commit, and `npm run worker` LISTENs on. */
export const JOBS_CHANNEL = "slotline_jobs";

/** Most events one notification names; a larger send wakes workers without names. */
export const NAMED_EVENTS_MAX = 8;
/** NOTIFY payloads stop at 8,000 bytes; names longer than this are left out. */
const NAMED_PAYLOAD_MAX = 2_000;

/**
 * The payload of sendEvent's NOTIFY: the active driver (a relay wakes on "inngest"), and
 * on Postgres the ids of the events sent when they are few, as `postgres:["id",...]`.
 * An idle worker claims the runs of the named events by event (claimRunsOfEvents, through
 * job_runs_job_event_key) before its ordinary claim, which walks job_runs_due_idx from its
 * oldest entry, dead ones left by runs claimed since the last vacuum included.
 */
export function wakeUpPayload(driver: string, eventIds: string[]) {
  if (driver !== "postgres" || eventIds.length === 0 || eventIds.length > NAMED_EVENTS_MAX) return driver;
  const named = `${driver}:${JSON.stringify(eventIds)}`;
  return named.length <= NAMED_PAYLOAD_MAX ? named : driver;
}

/** A notification's driver and the events it names (none for a plain one or a malformed list). */
export function parseWakeUp(payload: string): { driver: string; eventIds: string[] } {
  const colon = payload.indexOf(":");
  if (colon < 0) return { driver: payload, eventIds: [] };
  const driver = payload.slice(0, colon);
  try {
    const ids: unknown = JSON.parse(payload.slice(colon + 1));
    const valid = Array.isArray(ids) && ids.every((id) => typeof id === "string");
    return { driver, eventIds: valid ? ids : [] };
  } catch {
    return { driver, eventIds: [] };
  }
}
