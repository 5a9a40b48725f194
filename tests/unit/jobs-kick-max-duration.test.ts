import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTION_MAX_DURATION_S } from "@/lib/jobs/function-limit";
import { KICK_MAX_DURATION_S, KICK_STEP_GRACE_MS, KICK_TOTAL_MS } from "@/lib/jobs/kick";
import { CRON_DRAIN_BUDGET_MS } from "@/lib/jobs/work";

// The kick runs inside the function of the request that called it (after()), so every
// route segment whose code can kick must give that function time for the request plus
// the kick's drain budget and step grace. Vercel reads `export const maxDuration`.

const appDir = path.resolve(import.meta.dirname, "../../app");
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
const maxDurationOf = (file: string) => {
  if (!fs.existsSync(file)) return undefined;
  const match = /^export const maxDuration = (\d+);/m.exec(fs.readFileSync(file, "utf8"));
  return match ? Number(match[1]) : undefined;
};

/** The segment config that applies to a page or route: its own, else the nearest layout's. */
function effectiveMaxDuration(file: string) {
  const own = maxDurationOf(file);
  if (own !== undefined) return own;
  for (let dir = path.dirname(file); dir.startsWith(appDir); dir = path.dirname(dir)) {
    const layout = maxDurationOf(path.join(dir, "layout.tsx"));
    if (layout !== undefined) return layout;
  }
  return undefined;
}

describe("the kick's time limit", () => {
  const kicking = files(appDir).filter((file) => /\bkickJobs\(/.test(fs.readFileSync(file, "utf8")));
  // A route kicks itself; a server action kicks from the pages under its folder that host it.
  const segments = kicking.flatMap((file) =>
    /route\.tsx?$/.test(file)
      ? [file]
      : files(path.dirname(file)).filter((candidate) => /\/page\.tsx$/.test(candidate)),
  );

  it("finds the routes and actions that kick", () => {
    expect(kicking.map((file) => path.relative(appDir, file)).sort()).toEqual([
      "(auth)/actions.ts",
      "(dashboard)/actions.ts",
      "book/[clinic]/actions.ts",
    ]);
    expect(segments.length).toBeGreaterThanOrEqual(3);
  });

  it("sets a maxDuration on every one of them that covers the kick's budget and grace", () => {
    expect(KICK_MAX_DURATION_S * 1000).toBeGreaterThan(KICK_TOTAL_MS + 5_000);
    const missing = segments.filter((file) => (effectiveMaxDuration(file) ?? 0) < KICK_MAX_DURATION_S);
    expect(missing.map((file) => path.relative(appDir, file))).toEqual([]);
  });

  it("gives a step in flight in the kick about as long as the cron drain gives one", () => {
    // The kick starts steps for 10 s only; a step it started may run on to 280 s, where
    // the cron drain's may run to 295 s. A shorter grace would fail long steps' attempts
    // in the kick, which runs most jobs on Vercel, before a drain with time reached them.
    expect(KICK_STEP_GRACE_MS).toBeGreaterThanOrEqual(CRON_DRAIN_BUDGET_MS - 30_000);
  });

  it("asks no page or route for more than Hobby's function limit", () => {
    // Vercel refuses a deploy whose maxDuration is over the plan's ceiling.
    const over = files(appDir).filter((file) => (maxDurationOf(file) ?? 0) > FUNCTION_MAX_DURATION_S);
    expect(over.map((file) => path.relative(appDir, file))).toEqual([]);
  });
});
