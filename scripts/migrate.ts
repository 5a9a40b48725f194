import "./load-env";
import { openDevDatabase, redactUrl } from "@/lib/db/dev-database";
import { migrateDatabase } from "@/lib/db/migrate";
import { runScript } from "@/lib/script-failure";

// npm run db:migrate: applies drizzle/ to DATABASE_URL, or to the embedded dev database.
await runScript(async () => {
  const database = await openDevDatabase();
  try {
    await migrateDatabase(database.url);
    console.log(`Migrations applied to ${redactUrl(database.url)}`);
  } finally {
    await database.stop();
  }
});
