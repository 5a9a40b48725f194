import "./load-env";
import { spawn } from "node:child_process";
import { openDevDatabase, redactUrl } from "@/lib/db/dev-database";
import { runScript } from "@/lib/script-failure";

// npm run db:studio: Drizzle Studio on DATABASE_URL, or on the embedded dev database.
await runScript(async () => {
  const database = await openDevDatabase();
  console.log(`Drizzle Studio on ${redactUrl(database.url)}`);
  const studio = spawn("npx", ["drizzle-kit", "studio"], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: database.url },
  });
  const stop = () => studio.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const code = await new Promise<number>((resolve) => studio.on("exit", (exitCode) => resolve(exitCode ?? 0)));
  await database.stop();
  return code;
});
