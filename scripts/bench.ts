import { z } from "zod";
import { closeDb } from "@/lib/db/client";
import { makeTempDataDir, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnv } from "@/lib/env";
import { runScript } from "@/lib/script-failure";
import { benchBookingPath } from "./bench/booking-path";
import { createBenchClinic, planBookings } from "./bench/clinic";
import { benchSameSlotRaces } from "./bench/contention";
import { benchFreeSlots } from "./bench/free-slots";
import { benchJobEngine, STEPS_PER_RUN } from "./bench/job-engine";
import { benchMonthAvailability } from "./bench/month-availability";
import { runScaleSection, SECTIONS } from "./bench/scale";

/**
 * `npm run bench -- month-close | inspect` runs one of the scale sections instead
 * (scripts/bench/scale.ts).
 *
 * `npm run bench [-- --runs N]`, on a throw-away embedded PostgreSQL: the job engine's
 * drain throughput and claim latency (N runs), then what booking costs users: the
 * transactional outbox on the booking path (N bookings), many people racing for one
 * slot, and the free-slot and month-calendar computations behind the booking page.
 * Sections: scripts/bench/.
 */
const section = process.argv[2]?.startsWith("--") ? undefined : process.argv[2];
if (section !== undefined && !SECTIONS.includes(section)) {
  console.error(
    `Unknown bench section "${section}"; expected one of: ${SECTIONS.join(", ")} (or none for the default)`,
  );
  process.exit(2);
}
const runsArgument = z.coerce
  .number("--runs must be a number")
  .int("--runs must be a whole number")
  .min(10, "--runs must be at least 10");
const flag = process.argv.indexOf("--runs");
const parsed = runsArgument.safeParse(flag >= 0 ? process.argv[flag + 1] : 1_000);
if (!parsed.success) {
  console.error(parsed.error.issues[0].message);
  process.exit(2);
}
const RUNS = parsed.data;
const RACE_SIZES = [16, 64];
const RACE_ROUNDS = 5;

await runScript(async () => {
  if (section !== undefined) {
    await runScaleSection(section);
    return;
  }
  const server = await startEmbeddedPostgres({
    dataDir: makeTempDataDir("slotline-bench-"),
    database: "bench",
    persistent: false,
  });
  try {
    await migrateDatabase(server.url);
    process.env.DATABASE_URL = server.url;
    resetEnv();
    console.log(`Slotline bench: embedded PostgreSQL, node ${process.version}\n`);

    console.log(`Job engine: ${RUNS} runs x ${STEPS_PER_RUN} checkpointed steps`);
    await benchJobEngine(RUNS);

    const now = new Date();
    // Enough practitioners that N bookings fit in the booking horizon with room to spare.
    const bench = await createBenchClinic(Math.max(6, Math.ceil(RUNS / 150)));
    const plan = planBookings(bench, RUNS + RACE_SIZES.length * RACE_ROUNDS + 1, now);

    console.log(
      `\nBooking path: ${RUNS} bookings, distinct slots and clients, ${bench.practitioners.length} practitioners`,
    );
    await benchBookingPath(bench, plan.slice(0, RUNS));

    console.log(`\nSame slot, many people (bookings_no_overlap decides)`);
    await benchSameSlotRaces(bench, plan.slice(RUNS), RACE_SIZES, RACE_ROUNDS);

    console.log("");
    await benchFreeSlots(bench, now, { arithmetic: 500, withReads: 300 });

    // The booking page's month calendar, for a busy month with 7 practitioners.
    console.log("");
    await benchMonthAvailability(await createBenchClinic(7, "bench-month"), now, 100);
  } finally {
    await closeDb();
    await server.stop();
  }
});
