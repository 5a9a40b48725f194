import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { rowCounts } from "../fuzz/inputs";

const root = path.resolve(import.meta.dirname, "../..");

/** `npm run jobs -- ...` against this file's database, as the npm script spawns it. */
function cli(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/jobs.ts", ...args],
      { cwd: root, env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json" }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const valid = () => JSON.stringify({ bookingId: randomUUID(), clinicId: randomUUID() });

// Each is refused with exit code 2 (bad input), a short message, and nothing written.
const cases: [string, string[]][] = [
  ["an event id of 3,000 characters", ["send", "booking/created", valid(), "--id", "e".repeat(3_000)]],
  ["a control character in the event id", ["send", "booking/created", valid(), "--id", "evt-\u0001-1"]],
  ["an event name of 100 KB", ["send", "n".repeat(100_000), valid()]],
  ["a control character in the event name", ["send", "booking/created\u001b", valid()]],
  [
    "a NUL inside the payload",
    ["send", "booking/created", JSON.stringify({ bookingId: "\u0000", clinicId: randomUUID() })],
  ],
  ["a payload of the wrong type", ["send", "booking/created", "[1,2,3]"]],
  ["numbers where ids go", ["send", "booking/created", '{"bookingId":1,"clinicId":2}']],
  ["a payload that is not JSON", ["send", "booking/created", "{bookingId:"]],
  [
    "a period that is no month",
    ["send", "billing/summary.requested", JSON.stringify({ clinicId: randomUUID(), period: "2026-13" })],
  ],
  ["an unknown command of 50 KB", ["x".repeat(50_000)]],
  ["a job filter with a control character", ["list", "--job", "booking-confirmation\u0007"]],
  ["a job id of 3,000 characters to trigger", ["trigger", "j".repeat(3_000)]],
];

describe("npm run jobs -- send with bad payloads", { timeout: 600_000 }, () => {
  it("exits 2 with a short message and writes nothing, for each", async () => {
    const before = await rowCounts();
    // Two at a time: each is a Node process, and the machine has two cores. The timeout leaves
    // room for a busy machine, where starting tsx alone can take half a minute.
    for (let i = 0; i < cases.length; i += 2) {
      const batch = cases.slice(i, i + 2);
      const results = await Promise.all(batch.map(([, args]) => cli([...args, "--json"])));
      results.forEach((result, index) => {
        const label = batch[index][0];
        expect(result.code, `${label}: ${result.stderr.slice(0, 500)}`).toBe(2);
        const { error } = JSON.parse(result.stdout) as { error: string };
        expect(error.length, `${label}: ${error.slice(0, 200)}`).toBeLessThan(1_500);
        expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      });
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("accepts the same command with a valid payload (so the refusals above can fail)", async () => {
    const before = await rowCounts();
    const result = await cli(["send", "booking/created", valid(), "--id", `evt-${randomUUID()}`, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect((await rowCounts()).job_events).toBe(before.job_events + 1);
  });
});
