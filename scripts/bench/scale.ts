import { z } from "zod";
import { closeDb } from "@/lib/db/client";
import { makeTempDataDir, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnv } from "@/lib/env";
import { benchCheckpointCost } from "./checkpoint-cost";
import { benchInspect } from "./inspect";
import { benchMonthClose, WORKER_NODE_ENVS } from "./month-close";

/**
 * The sections that run on a server of their own, `npm run bench -- <section>`: two build
 * a large fixture (month-close, inspect); checkpoints needs `fsync` on, which the default
 * bench server turns off.
 */
export const SECTIONS = ["month-close", "inspect", "checkpoints"];

/** A `--name value` flag read by `schema`; a bad value stops the bench with the schema's message. */
function flag<T>(name: string, schema: z.ZodType<T>, fallback: unknown): T {
  const at = process.argv.indexOf(name);
  const parsed = schema.safeParse(at >= 0 ? process.argv[at + 1] : fallback);
  if (!parsed.success) {
    console.error(parsed.error.issues[0].message);
    process.exit(2);
  }
  return parsed.data;
}

const sizeFlag = (name: string, fallback: number) =>
  flag(
    name,
    z.coerce
      .number(`${name} must be a number`)
      .int(`${name} must be a whole number`)
      .min(10, `${name} must be at least 10`),
    fallback,
  );

/**
 * Each on its own throw-away embedded PostgreSQL, with pg_stat_statements loaded so the
 * bench can say where SQL time goes.
 */
export async function runScaleSection(section: string) {
  // Flags first: a bad one stops the bench before it starts a server.
  const size =
    section === "month-close"
      ? sizeFlag("--clinics", 10_000)
      : sizeFlag("--runs", section === "checkpoints" ? 6_000 : 1_000_000);
  // The NODE_ENV the month close's worker runs with: production, as deployed, unless told otherwise.
  const nodeEnv = flag(
    "--node-env",
    z.enum(WORKER_NODE_ENVS, `--node-env must be one of ${WORKER_NODE_ENVS.join(", ")}`),
    "production",
  );
  const server = await startEmbeddedPostgres({
    dataDir: makeTempDataDir("slotline-bench-"),
    database: "bench",
    persistent: false,
    settings: [
      "shared_preload_libraries=pg_stat_statements",
      "max_wal_size=4GB",
      // The checkpoints section writes as a production server does: each commit waits for its flush.
      ...(section === "checkpoints" ? ["fsync=on", "synchronous_commit=on"] : []),
    ],
  });
  try {
    await migrateDatabase(server.url);
    process.env.DATABASE_URL = server.url;
    resetEnv();
    console.log(`Slotline bench (${section}): embedded PostgreSQL, node ${process.version}\n`);
    if (section === "month-close") await benchMonthClose(server, size, nodeEnv);
    else if (section === "checkpoints") await benchCheckpointCost(size, server.dataDir);
    else await benchInspect(size);
  } finally {
    await closeDb();
    await server.stop();
  }
}
