// CI smoke test of a fresh `npm run dev`: it must serve the demo booking page within
// the time limit, then stop on Ctrl-C leaving no process (Next, PostgreSQL) behind.
// Run from the checkout; exits non-zero on any failure. .ci/run runs it as a normal user.
import { spawn } from "node:child_process";
import net from "node:net";

const LIMIT_MS = Number(process.env.SMOKE_LIMIT_SECONDS ?? 300) * 1000;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const isFree = (port) =>
  new Promise((resolve) => {
    const server = net.createServer().once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
const fail = (message) => {
  console.error(`dev-smoke: FAILED: ${message}`);
  process.exit(1);
};

const port = await freePort();
const pgPort = await freePort();
const url = `http://localhost:${port}/book/demo-clinic`;
console.log(`dev-smoke: npm run dev as uid ${process.getuid()} on PORT=${port} PGPORT=${pgPort}`);
const dev = spawn("npm", ["run", "dev"], {
  env: { ...process.env, PORT: String(port), PGPORT: String(pgPort) },
  stdio: "inherit",
  detached: true,
});
let exitCode;
const exited = new Promise((resolve) => dev.once("exit", (code, signal) => resolve((exitCode = code ?? signal))));

const deadline = Date.now() + LIMIT_MS;
let status;
while (Date.now() < deadline && exitCode === undefined) {
  status = await fetch(url, { signal: AbortSignal.timeout(60_000) })
    .then((response) => response.status)
    .catch(() => undefined);
  if (status === 200) break;
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
if (status !== 200) {
  if (exitCode === undefined) process.kill(-dev.pid, "SIGKILL");
  fail(
    exitCode === undefined
      ? `${url} answered ${status} after ${LIMIT_MS / 1000} s`
      : `npm run dev exited (${exitCode})`,
  );
}
console.log(`dev-smoke: ${url} answered 200; stopping`);

// Ctrl-C in a terminal: SIGINT to the whole process group (npm, tsx, the script, Next).
process.kill(-dev.pid, "SIGINT");
const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 60_000))]);
if (stopped === "timeout") {
  process.kill(-dev.pid, "SIGKILL");
  fail("npm run dev did not stop within 60 s of Ctrl-C (SIGINT)");
}
// npm waits for the script, then may end itself by the same signal.
if (![0, 130, "SIGINT"].includes(stopped)) fail(`npm run dev exited with ${stopped} after Ctrl-C`);
const groupAlive = () => {
  try {
    process.kill(-dev.pid, 0);
    return true;
  } catch {
    return false;
  }
};
for (let tries = 0; groupAlive() || !(await isFree(pgPort)) || !(await isFree(port)); tries++) {
  if (tries > 40) fail(`processes of npm run dev, or its ports ${port}/${pgPort}, are still in use after it stopped`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}
console.log("dev-smoke: passed");
