import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle; anything that takes `tx` also accepts `db` itself. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Executor = Database | Tx;

type Connection = { url: string; sql: Sql; db: Database };
let connection: Connection | undefined;

/**
 * Transaction-mode poolers (PgBouncer, Neon's `-pooler` host, Supabase's port 6543)
 * cannot keep prepared statements between transactions.
 */
function usesTransactionPooler(url: string) {
  return /pgbouncer=true|-pooler\.|:6543\//.test(url);
}

function connect(): Connection {
  const url = env().DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run dev` (it runs an embedded PostgreSQL), or set DATABASE_URL.",
    );
  }
  if (connection?.url === url) return connection;
  const sql = postgres(url, {
    max: process.env.VERCEL ? 5 : 10,
    prepare: !usesTransactionPooler(url),
    onnotice: () => {},
    connection: { application_name: "slotline" },
  });
  connection = { url, sql, db: drizzle(sql, { schema, casing: undefined }) };
  return connection;
}

/** The raw postgres.js client, for LISTEN/NOTIFY and the few queries kept as plain SQL. */
export function sqlClient(): Sql {
  return connect().sql;
}

/**
 * The one Drizzle client. It connects on first use, so importing this module
 * (during `next build`, say) never needs a database.
 */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const target = connect().db;
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

/** Closes the pool; scripts and tests call it so the process can exit. */
export async function closeDb() {
  const current = connection;
  connection = undefined;
  await current?.sql.end({ timeout: 5 });
}
