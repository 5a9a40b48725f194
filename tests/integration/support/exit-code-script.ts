import fs from "node:fs";
import path from "node:path";
import { makeTempDataDir, startEmbeddedPostgres } from "@/lib/db/embedded";

// Starts and stops an embedded PostgreSQL, then leaves with the exit code it was given,
// the way vitest reports failures (process.exitCode, no process.exit call). Prints its
// temporary folder and whether the cluster was in it, for the caller to check it is gone.
const dataDir = makeTempDataDir("slotline-exit-");
const server = await startEmbeddedPostgres({ dataDir, database: "postgres", persistent: false });
const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
await server.stop();
console.log(JSON.stringify({ folder: path.dirname(dataDir), initialised }));
process.exitCode = Number(process.env.EXPECTED_EXIT_CODE);
