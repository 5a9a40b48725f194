/**
 * Whether `error` or one of its causes is a PostgreSQL error that `matches` accepts
 * (by SQLSTATE and constraint name); drizzle wraps postgres.js's errors in its own.
 */
export function hasPostgresError(error: unknown, matches: (code?: string, constraint?: string) => boolean): boolean {
  for (let current = error; current && typeof current === "object"; current = (current as { cause?: unknown }).cause) {
    const { code, constraint_name } = current as { code?: string; constraint_name?: string };
    if (matches(code, constraint_name)) return true;
  }
  return false;
}

/** PostgreSQL's unique_violation on `constraint`: another request wrote the same key first. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return hasPostgresError(error, (code, name) => code === "23505" && name === constraint);
}

/** The innermost of an error's causes: postgres.js's error under drizzle's "Failed query: …", say. */
export function rootCause(error: unknown): unknown {
  let root = error;
  while (root instanceof Error && root.cause) root = root.cause;
  return root;
}

/** The root cause's message: PostgreSQL's own words. */
export function rootMessage(error: unknown): string {
  const root = rootCause(error);
  return root instanceof Error ? root.message : String(root);
}
