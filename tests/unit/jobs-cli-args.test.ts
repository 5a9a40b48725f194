import { describe, expect, it } from "vitest";
import { parseArgs } from "@/lib/jobs/cli/args";

describe("npm run jobs argument parsing", () => {
  it("reads every command of DESIGN.md", () => {
    const runId = "5b0e6f2c-1d7a-4c1e-9f43-2a6f1d3c9e10";
    expect(parseArgs(["send", "booking/created", '{"a":1}', "--id", "evt-1", "--json"])).toEqual({
      json: true,
      help: false,
      command: { command: "send", eventName: "booking/created", data: { a: 1 }, id: "evt-1" },
    });
    expect(parseArgs(["drain", "--budget-ms", "2500"]).command).toEqual({ command: "drain", budgetMs: 2500 });
    expect(parseArgs(["drain"]).command).toEqual({ command: "drain", budgetMs: 50_000 });
    expect(parseArgs(["list", "--status=failed", "--job", "billing-summary", "--limit", "5"]).command).toEqual({
      command: "list",
      status: "failed",
      job: "billing-summary",
      limit: 5,
    });
    for (const name of ["show", "retry", "replay", "cancel"])
      expect(parseArgs([name, runId]).command).toEqual({ command: name, runId });
    expect(parseArgs(["trigger", "billing-summary-monthly", "--at", "2026-10-01T06:00:00+01:00"]).command).toEqual({
      command: "trigger",
      jobId: "billing-summary-monthly",
      at: new Date("2026-10-01T05:00:00Z"),
    });
    expect(parseArgs(["stats", "--json"])).toMatchObject({ json: true, command: { command: "stats" } });
    expect(parseArgs(["advise", "--json"])).toMatchObject({ json: true, command: { command: "advise" } });
    expect(parseArgs(["--help"])).toEqual({ json: false, help: true });
  });

  it("names what is wrong", () => {
    const error = (argv: string[]) => {
      try {
        parseArgs(argv);
      } catch (caught) {
        return (caught as Error).message;
      }
      throw new Error(`accepted ${argv.join(" ")}`);
    };
    expect(error([])).toMatch(/No command given/);
    expect(error(["frobnicate"])).toMatch(/Unknown command "frobnicate"/);
    expect(error(["send", "booking/created", "{not json"])).toMatch(/event data is not valid JSON/);
    expect(error(["send"])).toMatch(/send needs an event name/);
    expect(error(["send", "booking/created"])).toMatch(/send needs the event data as JSON/);
    expect(error(["list", "--status", "stuck"])).toMatch(
      /--status must be one of queued, running, sleeping, completed, failed, cancelled/,
    );
    expect(error(["list", "--limit", "-3"])).toMatch(/--limit must be positive/);
    expect(error(["list", "--limit"])).toMatch(/--limit needs a value/);
    expect(error(["drain", "--budget-ms", "soon"])).toMatch(/--budget-ms must be a number/);
    expect(error(["show", "12345"])).toMatch(/must be a run id/);
    expect(error(["show"])).toMatch(/must be a run id|expected string/);
    expect(error(["cancel", "5b0e6f2c-1d7a-4c1e-9f43-2a6f1d3c9e10", "extra"])).toMatch(
      /unexpected argument\(s\): extra/,
    );
    expect(error(["stats", "--job", "x"])).toMatch(/"stats" does not take --job/);
    expect(error(["advise", "now"])).toMatch(/"advise" got unexpected argument\(s\): now/);
    expect(error(["trigger", "billing-summary-monthly", "--at", "yesterday"])).toMatch(/--at must be an ISO time/);
  });
});
