import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { jobs as registry } from "@/jobs";
import { defineJob } from "@/lib/jobs/define";
import { FUNCTION_MAX_DURATION_S } from "@/lib/jobs/function-limit";
import { readVercelConfig, vercelCronProblems, type VercelConfig } from "@/lib/jobs/vercel-crons";

const monthly = defineJob({ id: "monthly-report", triggers: [{ cron: "TZ=Europe/London 0 6 1 * *" }] }, () => null);
const eventJob = defineJob({ id: "on-event", triggers: [{ event: "booking/created" }] }, () => null);
const from = new Date("2026-01-01T00:00:00Z");
const config = (crons: VercelConfig["crons"]): VercelConfig => ({ crons });

describe("vercel.json against the registry's cron triggers", () => {
  it("the shipped vercel.json matches jobs/ for the next 24 months", () => {
    expect(vercelCronProblems(readVercelConfig(), registry, { months: 24 })).toEqual([]);
  });

  it("the shipped vercel.json deploys on Hobby and builds with migrations", () => {
    const shipped = readVercelConfig();
    expect(shipped.buildCommand).toBe("npm run db:migrate && npm run build");
    // Hobby's ceiling with Fluid compute, on by default for new projects.
    expect(FUNCTION_MAX_DURATION_S).toBeLessThanOrEqual(300);
    for (const [file, fn] of Object.entries(shipped.functions ?? {})) {
      expect(file).toMatch(/^app\/api\/cron\//);
      expect(fn.maxDuration).toBe(FUNCTION_MAX_DURATION_S);
    }
    expect(Object.keys(shipped.functions ?? {})).toEqual(
      expect.arrayContaining(["app/api/cron/drain/route.ts", "app/api/cron/[job]/route.ts"]),
    );
  });

  it("the cron routes and /api/inngest export the same function limit as vercel.json", () => {
    // Vercel takes a route's limit from its own `export const maxDuration` as well as from
    // vercel.json: the two must not disagree, and the drain budget is made to fit this one.
    for (const file of ["app/api/cron/drain/route.ts", "app/api/cron/[job]/route.ts", "app/api/inngest/route.ts"]) {
      const exported = /^export const maxDuration = (\d+);$/m.exec(fs.readFileSync(file, "utf8"));
      expect(exported?.[1], file).toBe(String(FUNCTION_MAX_DURATION_S));
    }
  });

  it("accepts a UTC schedule that fires at or within an hour after every London slot (GMT and BST)", () => {
    const good = config([
      { path: "/api/cron/drain", schedule: "0 3 * * *" },
      { path: "/api/cron/monthly-report", schedule: "0 6 1 * *" },
    ]);
    expect(vercelCronProblems(good, [monthly, eventJob], { from })).toEqual([]);
  });

  it("catches a schedule that is an hour early in winter or late in summer", () => {
    // 05:00 UTC is before the 06:00 GMT slot, so in winter it fires for nothing until next month.
    const early = config([
      { path: "/api/cron/drain", schedule: "0 3 * * *" },
      { path: "/api/cron/monthly-report", schedule: "0 5 1 * *" },
    ]);
    expect(vercelCronProblems(early, [monthly], { from }).join("\n")).toMatch(
      /monthly-report slot 2026-01-01T06:00:00.000Z .* must fire within an hour/,
    );
    // 07:00 UTC is two hours after the 05:00 UTC BST slot.
    const late = config([
      { path: "/api/cron/drain", schedule: "0 3 * * *" },
      { path: "/api/cron/monthly-report", schedule: "0 7 1 * *" },
    ]);
    expect(vercelCronProblems(late, [monthly], { from }).join("\n")).toMatch(/slot 2026-04-01T05:00:00.000Z/);
  });

  it("catches missing entries, unknown paths and crons more frequent than daily", () => {
    const problems = vercelCronProblems(
      config([
        { path: "/api/cron/drain", schedule: "*/5 * * * *" },
        { path: "/api/cron/on-event", schedule: "0 6 * * *" },
      ]),
      [monthly, eventJob],
      { from },
    );
    expect(problems).toEqual([
      'vercel.json cron /api/cron/drain ("*/5 * * * *") fires more than once a day; Vercel Hobby refuses that',
      "vercel.json cron /api/cron/on-event matches no cron job in jobs/ (nor the drain)",
      "job monthly-report has cron triggers but vercel.json has no /api/cron/monthly-report entry",
    ]);
  });
});
