import { z } from "zod";
import { closeDb } from "@/lib/db/client";
import { makeTempDataDir, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnv } from "@/lib/env";
import { benchInspect } from "./inspect";
import { benchMonthClose } from "./month-close";

/** The sections that build a large fixture of their own: `npm run bench -- <section>`. */
export const SECTIONS = ["month-close", "inspect"];

const sizeFlag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  const parsed = z.coerce
    .number(`${name} must be a number`)
    .int(`${name} must be a whole number`)
    .min(10, `${name} must be at least 10`)
    .safeParse(at >= 0 ? process.argv[at + 1] : fallback);
  if (!parsed.success) {
    console.error(parsed.error.issues[0].message);
    process.exit(2);
  }
  return parsed.data;
};

const NODE_ENVS = ["production", "development"] as const;

/** `--node-env`: the NODE_ENV the month close's worker runs with (default production, as deployed). */
const nodeEnvFlag = () => {
  const at = process.argv.indexOf("--node-env");
  const parsed = z
    .enum(NODE_ENVS, `--node-env must be one of ${NODE_ENVS.join(", ")}`)
    .safeParse(at >= 0 ? process.argv[at + 1] : "production");
  if (!parsed.success) {
    console.error(parsed.error.issues[0].message);
    process.exit(2);
  }
  return parsed.data;
};

/**
 * Each on its own throw-away embedded PostgreSQL, with pg_stat_statements loaded so the
 * bench can say where SQL time goes.
 */
export async function runScaleSection(section: string) {
  // Flags first: a bad one stops the bench before it starts a server.
  const size = section === "month-close" ? sizeFlag("--clinics", 10_000) : sizeFlag("--runs", 1_000_000);
  const nodeEnv = nodeEnvFlag();
  const server = await startEmbeddedPostgres({
    dataDir: makeTempDataDir("slotline-bench-"),
    database: "bench",
    persistent: false,
    settings: ["shared_preload_libraries=pg_stat_statements", "max_wal_size=4GB"],
  });
  try {
    await migrateDatabase(server.url);
    process.env.DATABASE_URL = server.url;
    resetEnv();
    console.log(`Slotline bench (${section}): embedded PostgreSQL, node ${process.version}\n`);
    if (section === "month-close") await benchMonthClose(server, size, nodeEnv);
    else await benchInspect(size);
  } finally {
    await closeDb();
    await server.stop();
  }
}
