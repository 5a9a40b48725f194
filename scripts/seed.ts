import "./load-env";
import { closeDb } from "@/lib/db/client";
import { explainDatabaseError, openDevDatabase, redactUrl } from "@/lib/db/dev-database";
import { migrateDatabase } from "@/lib/db/migrate";
import { DEMO, seedDemo } from "@/lib/db/seed";

// npm run db:seed: the demo clinic, once; running it again changes nothing.
const database = await openDevDatabase();
try {
  await migrateDatabase(database.url);
  const { created } = await seedDemo();
  console.log(
    created
      ? `Seeded "${DEMO.clinicName}" into ${redactUrl(database.url)}`
      : `"${DEMO.clinicName}" already exists; nothing to do.`,
  );
  console.log(`Sign in as ${DEMO.email} / ${DEMO.password}`);
} catch (error) {
  console.error(`Seeding failed: ${explainDatabaseError(error, database.url)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
  await database.stop();
}
