import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://u:p@db.example.com:5432/slotline",
  CRON_SECRET: "a-long-enough-cron-secret",
  BETTER_AUTH_SECRET: "x".repeat(32),
};

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
    expect(errorOf({ OPERATOR_EMAILS: "ops@example.com, not-an-email" }).message).toMatch(/OPERATOR_EMAILS must be comma-separated email addresses/);
    expect(parseEnv({ OPERATOR_EMAILS: "ops@example.com, Boss@Example.com" }).OPERATOR_EMAILS).toBeDefined();
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
});
