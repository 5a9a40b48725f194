import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { db, sqlClient, type Executor } from "@/lib/db/client";

const dialect = new PgDialect();

/**
 * Runs one of the engine's hot statements. Outside a caller's transaction it goes
 * through postgres.js as a named prepared statement (parsed and planned once per
 * connection; the client turns preparing off behind transaction poolers); inside one
 * it runs on that transaction. Drizzle's own `execute` never prepares.
 */
export async function runStatement<Row>(query: SQL, executor: Executor = db): Promise<Row[]> {
  if (executor !== db) return (await executor.execute(query)) as unknown as Row[];
  const { sql: text, params } = dialect.sqlToQuery(query);
  const client = sqlClient();
  return (await client.unsafe(text, params as never[], { prepare: client.options.prepare })) as unknown as Row[];
}

/** A string with a character that needs a backslash inside an array literal's quotes. */
const needsEscape = /[\\"]/;

/**
 * A list as one text parameter in PostgreSQL's array syntax, to be cast in SQL
 * (`${arrayParam(ids)}::uuid[]`). postgres.js cannot type an empty array or one of
 * numbers on its own, and one text parameter keeps the prepared statement's types fixed.
 */
export function arrayParam(values: readonly (string | number | null)[]) {
  let text = "{";
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (index > 0) text += ",";
    if (value === null) text += "NULL";
    else if (typeof value === "number") text += String(value);
    else text += needsEscape.test(value) ? `"${value.replace(/[\\"]/g, "\\$&")}"` : `"${value}"`;
  }
  return sql.param(`${text}}`);
}
