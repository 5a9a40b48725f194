import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { closeDb } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { withDatabase } from "./global";

// Each test file gets a fresh copy of the migrated template database.
const adminUrl = inject("adminDatabaseUrl");
const template = inject("templateDatabase");
const name = `slotline_t_${template.split("_").pop()}_${randomBytes(4).toString("hex")}`;

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
for (let attempt = 0; ; attempt++) {
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
    break;
  } catch (error) {
    // Two files copying the template at the same instant: PostgreSQL refuses one; retry.
    if (attempt > 20) throw error;
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
}
await admin.end();

process.env.DATABASE_URL = withDatabase(adminUrl, name);
resetEnv();

afterAll(async () => {
  await closeDb();
});
