import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import postgres from "postgres";
import { startEmbeddedPostgres, makeTempDataDir, databaseUrl } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";

/**
 * One throw-away embedded PostgreSQL per `npm test` run. It is migrated once into a
 * template database; each test file then gets its own copy (CREATE DATABASE ...
 * TEMPLATE), so files run in parallel without seeing each other's rows or jobs.
 * Set TEST_DATABASE_URL to run against an external server instead (its database is
 * used as the template's source).
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  let adminUrl: string;
  let stop = async () => {};
  if (external) {
    adminUrl = external;
  } else {
    const server = await startEmbeddedPostgres({
      dataDir: makeTempDataDir("slotline-test-"),
      database: "postgres",
      persistent: false,
    });
    adminUrl = server.url;
    stop = server.stop;
  }
  const templateName = `slotline_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${templateName}"`);
  await admin.unsafe(`create database "${templateName}"`);
  const templateUrl = withDatabase(adminUrl, templateName);
  await migrateDatabase(templateUrl);
  await admin.end();

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", templateName);
  // The e2e files (separate processes) share one `next build` per run through this.
  const e2eRunToken = `${process.pid}-${randomBytes(4).toString("hex")}`;
  project.provide("e2eRunToken", e2eRunToken);
  return async () => {
    fs.rmSync(e2eRunDir(e2eRunToken), { recursive: true, force: true });
    if (external) {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      const rows = await cleanup<
        { datname: string }[]
      >`select datname from pg_database where datname like ${`slotline_t_${process.pid}_%`} or datname = ${templateName}`;
      for (const row of rows) await cleanup.unsafe(`drop database if exists "${row.datname}" with (force)`);
      await cleanup.end();
    }
    await stop();
  };
}

export function withDatabase(url: string, database: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Where the e2e files of one run keep their build lock and marker (tests/e2e/support). */
export function e2eRunDir(token: string) {
  return path.join(os.tmpdir(), `slotline-e2e-${token}`);
}

export { databaseUrl };

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    e2eRunToken: string;
  }
}
