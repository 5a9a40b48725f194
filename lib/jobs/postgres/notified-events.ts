import "server-only";

/** Most event ids one NOTIFY names; a larger send notifies without them. */
export const NOTIFIED_EVENTS_MAX = 16;
/** Bytes one NOTIFY naming events carries at most (PostgreSQL refuses payloads of 8,000). */
export const NOTIFIED_EVENT_BYTES_MAX = 4_000;

/**
 * Names kept between claims at most. More arrive only while every lane is busy: the names are
 * dropped then, as when backlogged, so a claim never takes an unbounded list of events.
 */
export const NOTIFIED_EVENTS_KEPT_MAX = 4 * NOTIFIED_EVENTS_MAX;

const PREFIX = "postgres:";

/**
 * What `sendEvent` NOTIFYs on slotline_jobs at commit: on Postgres, the events it was given
 * (`postgres:["id", ...]`) when there are at most NOTIFIED_EVENTS_MAX and they fit the
 * payload; otherwise the driver's name alone ("inngest" starts the relay).
 */
export function notifyPayload(driverName: string, eventIds: string[]) {
  if (driverName !== "postgres" || eventIds.length > NOTIFIED_EVENTS_MAX) return driverName;
  const payload = PREFIX + JSON.stringify(eventIds);
  return Buffer.byteLength(payload) <= NOTIFIED_EVENT_BYTES_MAX ? payload : driverName;
}

/**
 * The events that NOTIFYs named since the worker's last claim (`notifyPayload`), so an idle worker
 * claims exactly their runs, through job_runs_event_key, instead of walking the due index
 * from its oldest entry: while a long transaction is open (a backup, a report, autovacuum's
 * ANALYZE), that walk passes every run claimed since it began (docs/benchmarks.md).
 *
 * Only an idle worker takes that shortcut: once a claim came back full, runs are waiting
 * in order, and the names are dropped until a claim comes back short again, so a new event
 * never jumps a backlog.
 */
export class NotifiedEvents {
  private ids = new Set<string>();
  private backlogged = false;

  /** A payload on slotline_jobs; anything but a list of event ids names nothing. */
  note(payload: string) {
    if (this.backlogged || !payload.startsWith(PREFIX)) return;
    for (const id of parseIds(payload.slice(PREFIX.length))) this.ids.add(id);
    if (this.ids.size > NOTIFIED_EVENTS_KEPT_MAX) {
      this.ids.clear();
      this.backlogged = true;
    }
  }

  /** The names noted since the last call, for the claim about to be made. */
  take() {
    const ids = [...this.ids];
    this.ids.clear();
    return ids;
  }

  /** After every claim: `got` runs of the `asked`. */
  claimed(asked: number, got: number) {
    this.backlogged = got >= asked;
    if (this.backlogged) this.ids.clear();
  }
}

function parseIds(text: string): string[] {
  try {
    const ids: unknown = JSON.parse(text);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}
