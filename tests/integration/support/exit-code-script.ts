import { makeTempDataDir, startEmbeddedPostgres } from "@/lib/db/embedded";

// Starts and stops an embedded PostgreSQL, then leaves with the exit code it was given,
// the way vitest reports failures (process.exitCode, no process.exit call).
const server = await startEmbeddedPostgres({
  dataDir: makeTempDataDir("slotline-exit-"),
  database: "postgres",
  persistent: false,
});
await server.stop();
process.exitCode = Number(process.env.EXPECTED_EXIT_CODE);
