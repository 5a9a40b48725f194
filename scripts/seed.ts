import "./load-env";
import { closeDb } from "@/lib/db/client";
import { openDevDatabase, redactUrl } from "@/lib/db/dev-database";
import { migrateDatabase } from "@/lib/db/migrate";
import { DEMO, seedDemo } from "@/lib/demo/seed";
import { runScript } from "@/lib/script-failure";

// npm run db:seed: the demo clinic, once; running it again changes nothing.
await runScript(async () => {
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
  } finally {
    await closeDb();
    await database.stop();
  }
});
