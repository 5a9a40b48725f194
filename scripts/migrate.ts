import "./load-env";
import { explainDatabaseError, openDevDatabase, redactUrl } from "@/lib/db/dev-database";
import { migrateDatabase } from "@/lib/db/migrate";

// npm run db:migrate: applies drizzle/ to DATABASE_URL, or to the embedded dev database.
const database = await openDevDatabase();
try {
  await migrateDatabase(database.url);
  console.log(`Migrations applied to ${redactUrl(database.url)}`);
} catch (error) {
  console.error(`Migrating failed: ${explainDatabaseError(error, database.url)}`);
  process.exitCode = 1;
} finally {
  await database.stop();
}
