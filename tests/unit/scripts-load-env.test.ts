import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it, onTestFinished } from "vitest";

const probe = path.resolve(import.meta.dirname, "support/print-env.ts");

it("scripts read .env.local and .env from the working folder, and shell variables win", () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "slotline-env-"));
  onTestFinished(() => fs.rmSync(cwd, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(cwd, ".env"),
    "SLOTLINE_PROBE_FILE=from-env\nSLOTLINE_PROBE_SHELL=from-env\nSLOTLINE_PROBE_LOCAL=from-env\n",
  );
  fs.writeFileSync(path.join(cwd, ".env.local"), "SLOTLINE_PROBE_LOCAL=from-env-local\n");
  const output = execFileSync(process.execPath, ["--import", import.meta.resolve("tsx"), probe], {
    cwd,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", SLOTLINE_PROBE_SHELL: "from-shell" },
  });
  expect(JSON.parse(String(output))).toEqual({
    fromFile: "from-env",
    fromShell: "from-shell",
    local: "from-env-local",
  });
});
