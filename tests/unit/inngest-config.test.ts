import { afterEach, describe, expect, it } from "vitest";
import { productionEnv as production } from "@/tests/fixtures/env";
import { EnvError, parseEnv, resetEnv } from "@/lib/env";
import { createInngestClient } from "@/lib/jobs/inngest/client";

function problemsOf(source: Record<string, string>) {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.issues;
    throw error;
  }
  return [];
}

const saved = { ...process.env };
function useEnv(values: Record<string, string>) {
  for (const key of ["INNGEST_DEV", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_BASE_URL"])
    delete process.env[key];
  Object.assign(process.env, values);
  resetEnv();
}
afterEach(() => {
  process.env = { ...saved };
  resetEnv();
});

describe("Inngest configuration", () => {
  it("production with JOBS_DRIVER=inngest refuses to start without both keys, naming each", () => {
    const problems = problemsOf({ ...production, JOBS_DRIVER: "inngest" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^INNGEST_EVENT_KEY: .*JOBS_DRIVER=inngest/),
        expect.stringMatching(/^INNGEST_SIGNING_KEY: .*JOBS_DRIVER=inngest/),
      ]),
    );
    expect(problemsOf({ ...production, JOBS_DRIVER: "inngest", INNGEST_EVENT_KEY: "ek" }).join("\n")).toMatch(
      /INNGEST_SIGNING_KEY/,
    );
    expect(
      problemsOf({ ...production, JOBS_DRIVER: "inngest", INNGEST_SIGNING_KEY: "signkey-prod-1" }).join("\n"),
    ).toMatch(/INNGEST_EVENT_KEY/);
  });

  it("accepts production with both keys, and Postgres production without them", () => {
    expect(
      problemsOf({
        ...production,
        JOBS_DRIVER: "inngest",
        INNGEST_EVENT_KEY: "ek",
        INNGEST_SIGNING_KEY: "signkey-prod-1",
      }),
    ).toEqual([]);
    expect(problemsOf({ ...production, JOBS_DRIVER: "postgres" })).toEqual([]);
  });

  it("refuses INNGEST_DEV=1 in production: dev mode skips request signing", () => {
    const problems = problemsOf({
      ...production,
      JOBS_DRIVER: "inngest",
      INNGEST_DEV: "1",
      INNGEST_EVENT_KEY: "ek",
      INNGEST_SIGNING_KEY: "signkey-prod-1",
    });
    expect(problems.join("\n")).toMatch(/^INNGEST_DEV: .*unset it in production/m);
  });

  it("refuses an INNGEST_DEV dev-server URL in production too", () => {
    const problems = problemsOf({ ...production, INNGEST_DEV: "http://inngest-dev.internal:8288" });
    expect(problems.join("\n")).toMatch(/^INNGEST_DEV: .*unset it in production/m);
  });

  it("INNGEST_DEV=<url> selects a dev server at that URL, as the SDK documents (a bare host:port too)", () => {
    useEnv({ INNGEST_DEV: "http://inngest-dev.internal:9999" });
    const dev = createInngestClient();
    expect(dev.mode).toBe("dev");
    expect(dev.eventBaseUrl).toBe("http://inngest-dev.internal:9999");
    expect(dev.apiBaseUrl).toBe("http://inngest-dev.internal:9999");

    useEnv({ INNGEST_DEV: "localhost:8290" });
    expect(createInngestClient().eventBaseUrl).toBe("http://localhost:8290");
    useEnv({ INNGEST_DEV: "true" });
    expect(createInngestClient().mode).toBe("dev");
    useEnv({ INNGEST_DEV: "false" });
    expect(createInngestClient().mode).toBe("cloud");
  });

  it("rejects an INNGEST_DEV that is neither 0/1/true/false nor a URL, and a base URL that is not a URL", () => {
    expect(problemsOf({ INNGEST_DEV: "yes" }).join("\n")).toMatch(
      /^INNGEST_DEV: INNGEST_DEV must be 1, 0, true, false, or the dev server's URL/m,
    );
    expect(problemsOf({ INNGEST_DEV: "http://" }).join("\n")).toMatch(/INNGEST_DEV/);
    expect(problemsOf({ INNGEST_BASE_URL: "inngest.internal" }).join("\n")).toMatch(/INNGEST_BASE_URL/);
  });

  it("INNGEST_DEV=1 selects the local dev server; otherwise Inngest Cloud with the keys from env", () => {
    useEnv({ INNGEST_DEV: "1" });
    const dev = createInngestClient();
    expect(dev.mode).toBe("dev");
    expect(dev.eventBaseUrl).toMatch(/localhost:8288|127\.0\.0\.1:8288/);

    useEnv({ INNGEST_DEV: "0", INNGEST_EVENT_KEY: "event-key-123", INNGEST_SIGNING_KEY: "signkey-prod-abc" });
    const cloud = createInngestClient();
    expect(cloud.mode).toBe("cloud");
    expect(cloud.id).toBe("slotline");
    expect(cloud.eventKey).toBe("event-key-123");
    expect(cloud.signingKey).toBe("signkey-prod-abc");
    expect(cloud.eventBaseUrl).toMatch(/inn\.gs|inngest\.com/);

    useEnv({ INNGEST_BASE_URL: "http://inngest.internal:8288" });
    expect(createInngestClient().eventBaseUrl).toBe("http://inngest.internal:8288");
  });
});
