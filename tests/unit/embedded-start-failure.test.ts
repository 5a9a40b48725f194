import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { explainStartFailure } from "@/lib/db/embedded";

// When the embedded PostgreSQL does not start, the advice must fit what is on disk: telling
// someone to delete a cluster that is whole (only its port was taken) loses their dev data.

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

function dataDir(files: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slotline-start-failure-"));
  folders.push(dir);
  for (const file of files) fs.writeFileSync(path.join(dir, file), "18\n");
  return dir;
}

const portTaken = [
  'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use\n',
  "FATAL:  could not create any TCP/IP sockets\n",
];

describe("the advice when the embedded PostgreSQL does not start", () => {
  it("names the port taken meanwhile, and does not ask to delete a cluster that was created", () => {
    const message = explainStartFailure(dataDir(["PG_VERSION"]), 54329, false, new Error("exited"), portTaken);
    expect(message).toContain("Address already in use");
    expect(message).toContain("Port 54329 was taken by another program while PostgreSQL was starting");
    expect(message).toContain("set PGPORT to a free port");
    expect(message).toContain("nothing needs deleting");
    expect(message).not.toContain("rm -rf");
  });

  it("says a cluster that was created but did not start can simply be run again", () => {
    const message = explainStartFailure(dataDir(["PG_VERSION"]), 54329, false, new Error("exited"), ["FATAL: boom\n"]);
    expect(message).toContain("The cluster was created but did not start. Run again");
    expect(message).not.toContain("stopped half-way");
  });

  it("asks to delete a folder the cluster's creation left half-written", () => {
    const dir = dataDir(["postgresql.conf"]);
    const message = explainStartFailure(dir, 54329, false, new Error("initdb failed"), []);
    expect(message).toContain(
      `Creating the cluster stopped half-way; delete the folder before trying again: rm -rf ${dir}`,
    );
  });
});
