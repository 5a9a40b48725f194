import { Cron } from "croner";
import { DRAIN_PATH, readVercelConfig } from "./vercel-crons";

/**
 * `npm run dev`'s stand-in for Vercel Cron: fires every cron in vercel.json (UTC, as
 * Vercel does) against the dev server with the bearer secret, and also drains every
 * ~10 s so background jobs feel immediate while developing.
 */
export function startLocalScheduler(options: {
  baseUrl: string;
  cronSecret: string;
  drainIntervalMs?: number;
  log?: (message: string) => void;
}) {
  const log = options.log ?? ((message: string) => console.log(`[cron] ${message}`));
  const crons = readVercelConfig().crons ?? [];
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;

  const fire = (path: string) => {
    // A slow drain must not pile up behind itself; a stopped scheduler starts nothing.
    if (stopped) return Promise.resolve();
    const running = inFlight.get(path);
    if (running) return running;
    const request = send(path).finally(() => inFlight.delete(path));
    inFlight.set(path, request);
    return request;
  };

  const send = async (path: string) => {
    try {
      const response = await fetch(new URL(path, options.baseUrl), {
        headers: { authorization: `Bearer ${options.cronSecret}` },
      });
      const body = await response.text();
      if (!response.ok) log(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
      else if (path !== DRAIN_PATH || /"processed":[1-9]/.test(body)) log(`${path} ${body.slice(0, 300)}`);
    } catch (error) {
      log(`${path} failed: ${error instanceof Error ? error.message : String(error)} (is the dev server up?)`);
    }
  };

  const schedules = crons.map(
    (cron) => new Cron(cron.schedule, { timezone: "UTC", protect: true }, () => void fire(cron.path)),
  );
  const drainTimer = setInterval(() => void fire(DRAIN_PATH), options.drainIntervalMs ?? 10_000);
  drainTimer.unref();
  log(
    `firing ${crons.map((cron) => `${cron.path} (${cron.schedule} UTC)`).join(", ")} and ${DRAIN_PATH} every ${(options.drainIntervalMs ?? 10_000) / 1000} s`,
  );

  return {
    /** Fires one path now (e.g. to try a cron job without waiting for its slot). */
    fire,
    /** Starts nothing more, and resolves once the requests already sent have been answered. */
    async stop() {
      stopped = true;
      for (const schedule of schedules) schedule.stop();
      clearInterval(drainTimer);
      await Promise.allSettled(inFlight.values());
    },
  };
}
