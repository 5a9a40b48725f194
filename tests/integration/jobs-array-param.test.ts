import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { arrayParam } from "@/lib/jobs/postgres/statement";

// The engine's batched statements pass every list as one text parameter (arrayParam).
describe("arrayParam", () => {
  it("gives PostgreSQL back exactly the strings, numbers and nulls it was given", async () => {
    const texts = [
      "plain",
      'quote " inside',
      "back\\slash",
      '\\"both"\\',
      "comma, {brace}",
      "",
      "NULL",
      null,
      "é 日本",
    ];
    const numbers = [0, -3, 42, 2_147_483_647];
    // Compared in SQL, element by element (a client's array parser is not what is tested).
    const [row] = await db.execute<{ same: boolean; numbers: boolean; none: boolean }>(sql`
      select ${arrayParam(texts)}::text[] is not distinct from ${sql.param(texts)}::text[] as same,
             ${arrayParam(numbers)}::int[] = array[0, -3, 42, 2147483647] as numbers,
             ${arrayParam([])}::text[] = '{}'::text[] as none
    `);
    expect(row).toEqual({ same: true, numbers: true, none: true });
  });
});
