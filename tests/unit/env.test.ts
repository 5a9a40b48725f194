import { afterEach, describe, expect, it } from "vitest";
import { productionEnv as production } from "@/tests/fixtures/env";
import { emailThrottle } from "@/lib/email/throttle";
import { authSecret, cronSecret, EnvError, parseEnv, resetEnv } from "@/lib/env";

function errorOf(source: Record<string, string | undefined>) {
  try {
    parseEnv(source);
  } catch (error) {
    return error as EnvError;
  }
  throw new Error("expected the environment to be rejected");
}

describe("environment", () => {
  it("runs a fresh clone in development with nothing set", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.JOBS_DRIVER).toBe("postgres");
    expect(env.APP_URL).toBe("http://localhost:3000");
  });

  it("names the variable that holds a bad value", () => {
    expect(errorOf({ JOBS_DRIVER: "redis" }).message).toMatch(/JOBS_DRIVER/);
    expect(errorOf({ DATABASE_URL: "not a url" }).message).toMatch(/DATABASE_URL/);
    expect(errorOf({ APP_URL: "localhost" }).message).toMatch(/APP_URL/);
    expect(errorOf({ RESEND_API_KEY: "sk_live" }).message).toMatch(/RESEND_API_KEY must start with re_/);
    expect(errorOf({ OPERATOR_EMAILS: "ops@example.com, not-an-email" }).message).toMatch(
      /OPERATOR_EMAILS must be comma-separated email addresses/,
    );
    expect(parseEnv({ OPERATOR_EMAILS: "ops@example.com, Boss@Example.com" }).OPERATOR_EMAILS).toBe(
      "ops@example.com, Boss@Example.com",
    );
  });

  it("takes EMAIL_RATE_PER_SECOND as a whole number of emails per second, default 2 (Resend's limit)", () => {
    expect(parseEnv({}).EMAIL_RATE_PER_SECOND).toBe(2);
    expect(parseEnv({ EMAIL_RATE_PER_SECOND: "10" }).EMAIL_RATE_PER_SECOND).toBe(10);
    expect(errorOf({ EMAIL_RATE_PER_SECOND: "fast" }).issues).toEqual([
      "EMAIL_RATE_PER_SECOND: EMAIL_RATE_PER_SECOND must be a number",
    ]);
    expect(errorOf({ EMAIL_RATE_PER_SECOND: "0" }).message).toMatch(/EMAIL_RATE_PER_SECOND must be at least 1/);
    expect(errorOf({ EMAIL_RATE_PER_SECOND: "1.5" }).message).toMatch(/EMAIL_RATE_PER_SECOND must be a whole number/);

    const saved = { rate: process.env.EMAIL_RATE_PER_SECOND, key: process.env.RESEND_API_KEY };
    try {
      // Email jobs are throttled only when there is a provider to protect.
      process.env.RESEND_API_KEY = "re_env_test";
      delete process.env.EMAIL_RATE_PER_SECOND;
      expect(emailThrottle()).toEqual({ limit: 2, period: "1s" });
      process.env.EMAIL_RATE_PER_SECOND = "7";
      expect(emailThrottle()).toEqual({ limit: 7, period: "1s" });
      // Outbox only: nothing is sent, so nothing is held back.
      delete process.env.RESEND_API_KEY;
      expect(emailThrottle()).toBeUndefined();
    } finally {
      for (const [name, value] of [
        ["EMAIL_RATE_PER_SECOND", saved.rate],
        ["RESEND_API_KEY", saved.key],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetEnv();
    }
  });

  it("keeps finished runs 7 days (completed) and 30 days (failed) unless told otherwise, in whole days", () => {
    expect(parseEnv({})).toMatchObject({ JOBS_RETAIN_COMPLETED_DAYS: 7, JOBS_RETAIN_FAILED_DAYS: 30 });
    expect(parseEnv({ JOBS_RETAIN_COMPLETED_DAYS: "3", JOBS_RETAIN_FAILED_DAYS: "90" })).toMatchObject({
      JOBS_RETAIN_COMPLETED_DAYS: 3,
      JOBS_RETAIN_FAILED_DAYS: 90,
    });
    expect(errorOf({ JOBS_RETAIN_COMPLETED_DAYS: "a week" }).message).toMatch(
      /JOBS_RETAIN_COMPLETED_DAYS must be a number of days/,
    );
    expect(errorOf({ JOBS_RETAIN_FAILED_DAYS: "0" }).message).toMatch(/JOBS_RETAIN_FAILED_DAYS must be at least 1/);
    expect(errorOf({ JOBS_RETAIN_FAILED_DAYS: "1.5" }).message).toMatch(/JOBS_RETAIN_FAILED_DAYS must be a whole/);
  });

  it("treats empty values from a copied .env.example as unset", () => {
    expect(parseEnv({ RESEND_API_KEY: "", DATABASE_URL: "" }).RESEND_API_KEY).toBeUndefined();
  });

  it("refuses production without DATABASE_URL and CRON_SECRET, naming both", () => {
    const error = errorOf({ ...production, DATABASE_URL: undefined, CRON_SECRET: undefined });
    expect(error.issues.join("\n")).toMatch(/DATABASE_URL is required/);
    expect(error.issues.join("\n")).toMatch(/CRON_SECRET is required/);
    expect(parseEnv(production).NODE_ENV).toBe("production");
  });

  it("requires an https APP_URL in production, or takes the Vercel deployment's own", () => {
    expect(errorOf({ ...production, APP_URL: undefined }).message).toMatch(/APP_URL is required in production/);
    expect(errorOf({ ...production, APP_URL: "http://book.example.com" }).message).toMatch(
      /APP_URL must use https in production/,
    );
    expect(parseEnv({ ...production, APP_URL: "http://127.0.0.1:3000" }).APP_URL).toBe("http://127.0.0.1:3000");
    const vercel = {
      ...production,
      APP_URL: undefined,
      VERCEL_PROJECT_PRODUCTION_URL: "book.example.com",
      VERCEL_URL: "slotline-abc123.vercel.app",
    };
    expect(parseEnv({ ...vercel, VERCEL_ENV: "production" }).APP_URL).toBe("https://book.example.com");
    expect(parseEnv({ ...vercel, VERCEL_ENV: "preview" }).APP_URL).toBe("https://slotline-abc123.vercel.app");
  });

  it("holds Vercel previews to the production rules: no public dev secrets there", () => {
    const issues = errorOf({
      ...production,
      VERCEL_ENV: "preview",
      CRON_SECRET: undefined,
      BETTER_AUTH_SECRET: undefined,
    }).issues.join("\n");
    expect(issues).toMatch(/CRON_SECRET is required/);
    expect(issues).toMatch(/BETTER_AUTH_SECRET is required/);
  });
});

describe("secrets", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnv();
  });

  it("falls back to the dev secrets in development only", () => {
    Object.assign(process.env, { NODE_ENV: "development", CRON_SECRET: "", BETTER_AUTH_SECRET: "" });
    resetEnv();
    expect(cronSecret()).toBe("slotline-dev-cron-secret");
    // A production build (SLOTLINE_BUILD=1 relaxes the start-up check) still never signs with the dev secret.
    Object.assign(process.env, {
      NODE_ENV: "production",
      SLOTLINE_BUILD: "1",
      DATABASE_URL: "postgres://u:p@db/x",
      APP_URL: "https://book.example.com",
    });
    resetEnv();
    expect(() => authSecret()).toThrow(/BETTER_AUTH_SECRET is required in production/);
    expect(() => cronSecret()).toThrow(/CRON_SECRET is required in production/);
  });
});
