import { z } from "zod";

/** Read on its own by lib/email/throttle.ts, which job definitions call as they load. */
export const emailRatePerSecond = z.coerce
  .number({ message: "EMAIL_RATE_PER_SECOND must be a number" })
  .int("EMAIL_RATE_PER_SECOND must be a whole number of emails per second")
  .min(1, "EMAIL_RATE_PER_SECOND must be at least 1")
  .max(1_000, "EMAIL_RATE_PER_SECOND must be at most 1000")
  .default(2);

/** The job engines, by the name JOBS_DRIVER gives them (lib/jobs/driver.ts maps each to its module). */
export const JOB_DRIVERS = ["postgres", "inngest"] as const;
export type JobDriverName = (typeof JOB_DRIVERS)[number];

/** `"Ops@Example.com, b@example.com,"` -> `["ops@example.com", "b@example.com"]`: OPERATOR_EMAILS as a list. */
export function parseOperatorEmails(raw: string): string[] {
  return raw
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "");
}

const retentionDays = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number of days` })
    .int(`${name} must be a whole number of days`)
    .min(1, `${name} must be at least 1 (day)`)
    .max(36_500, `${name} must be at most 36500 (days)`);

/**
 * Every environment variable Slotline reads, parsed once. A bad value stops the
 * process with a message that names the variable (next.config.ts imports this, so
 * `next build` fails the same way).
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgres:// connection URL" }).optional(),
    JOBS_DRIVER: z
      .enum(JOB_DRIVERS, { message: `must be ${JOB_DRIVERS.join(" or ")} (unset means postgres)` })
      .default("postgres"),
    CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
    BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters").optional(),
    RESEND_API_KEY: z.string().startsWith("re_", "RESEND_API_KEY must start with re_").optional(),
    RESEND_BASE_URL: z.url().optional(),
    EMAIL_FROM: z.string().min(3).default("Slotline <bookings@slotline.dev>"),
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
    INNGEST_SIGNING_KEY: z.string().min(1).optional(),
    /** As the Inngest SDK reads it: "1"/"true" dev mode, "0"/"false" cloud, or the dev server's URL (dev mode there). */
    INNGEST_DEV: z
      .string()
      .trim()
      .refine(
        (value) =>
          /^(0|1|true|false)$/i.test(value) ||
          ((value.includes("://") || /^[\w.-]+:\d+$/.test(value)) && z.url().safeParse(withScheme(value)).success),
        'INNGEST_DEV must be 1, 0, true, false, or the dev server\'s URL such as "http://localhost:8288"',
      )
      .optional(),
    INNGEST_BASE_URL: z.url().optional(),
    /** Comma-separated emails of the deployment's operators, who may open /admin. */
    OPERATOR_EMAILS: z
      .string()
      .refine(
        (value) => parseOperatorEmails(value).every((email) => z.email().safeParse(email).success),
        "OPERATOR_EMAILS must be comma-separated email addresses",
      )
      .optional(),
    /** Resend allows 2 requests per second per team by default; every email job is throttled to this. */
    EMAIL_RATE_PER_SECOND: emailRatePerSecond,
    /**
     * How long finished job runs are kept (lib/jobs/postgres/prune.ts). Failed and
     * cancelled runs are kept longer: an operator may still retry them.
     */
    JOBS_RETAIN_COMPLETED_DAYS: retentionDays("JOBS_RETAIN_COMPLETED_DAYS").default(7),
    JOBS_RETAIN_FAILED_DAYS: retentionDays("JOBS_RETAIN_FAILED_DAYS").default(30),
    /** Unset on Vercel: the deployment's own URL (see parseEnv). */
    APP_URL: z.url({ message: "APP_URL must be an absolute URL such as https://book.example.com" }).optional(),
  })
  .superRefine((env, ctx) => {
    // Every production server, Vercel previews included: previews often share the
    // production database, so they must never fall back to the public dev secrets.
    const production = env.NODE_ENV === "production" && process.env.SLOTLINE_BUILD !== "1";
    const require = (key: keyof typeof env, why: string) => {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `${key} is required ${why}` });
    };
    if (production) {
      require("DATABASE_URL", "in production");
      require("APP_URL", "in production (links in emails and secure auth cookies use it)");
      if (env.APP_URL && !isSecureOrLocal(env.APP_URL)) {
        ctx.addIssue({
          code: "custom",
          path: ["APP_URL"],
          message: "APP_URL must use https in production (session cookies are Secure only on https)",
        });
      }
      require("CRON_SECRET", "in production (Vercel Cron sends it as a Bearer token)");
      require("BETTER_AUTH_SECRET", "in production (it signs sessions, cancel links and invitation links)");
      if (env.JOBS_DRIVER === "inngest") {
        require("INNGEST_EVENT_KEY", "when JOBS_DRIVER=inngest");
        require("INNGEST_SIGNING_KEY", "when JOBS_DRIVER=inngest");
      }
      if (inngestDevServer(env.INNGEST_DEV)) {
        // Dev mode skips request signing: anyone could call /api/inngest and run jobs.
        ctx.addIssue({
          code: "custom",
          path: ["INNGEST_DEV"],
          message: `INNGEST_DEV=${env.INNGEST_DEV} is for local development; unset it in production`,
        });
      }
    }
  });

/**
 * What INNGEST_DEV asks for: undefined (unset: the SDK's default, cloud), false (cloud),
 * true (the dev server at its default address) or the dev server's URL.
 */
export function inngestDevServer(value: string | undefined): boolean | URL | undefined {
  if (value === undefined) return undefined;
  if (/^(1|true)$/i.test(value)) return true;
  if (/^(0|false)$/i.test(value)) return false;
  return new URL(withScheme(value));
}

/** The SDK takes "localhost:8288" as http://localhost:8288. */
function withScheme(url: string) {
  return url.includes("://") ? url : `http://${url}`;
}

export type Env = z.infer<typeof schema> & { APP_URL: string };

function isSecureOrLocal(url: string) {
  const { protocol, hostname } = new URL(url);
  return protocol === "https:" || hostname === "localhost" || hostname === "127.0.0.1";
}

/**
 * APP_URL when set; on Vercel without it, the deployment's own address (the production
 * domain for production deploys, the deployment URL for previews).
 */
function appUrlFrom(source: Record<string, string | undefined>) {
  if (source.APP_URL) return source.APP_URL;
  const vercelHost = source.VERCEL_ENV === "production" ? source.VERCEL_PROJECT_PRODUCTION_URL : source.VERCEL_URL;
  return vercelHost ? `https://${vercelHost}` : undefined;
}

/**
 * A bad environment: every script prints its message as it is (no stack) and exits 2
 * (lib/script-failure.ts), and the app refuses to start with it.
 */
export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(
      `Invalid environment:\n${issues.map((issue) => `  - ${issue}`).join("\n")}\n` +
        "Fix or unset these in your shell, .env or .env.local (.env.example describes each), then run the command again.",
    );
    this.name = "EnvError";
  }
}

/**
 * The scripts' own variables, which the app never reads (so they are not in the schema):
 * whole numbers in a range, unset meaning the default.
 */
const SCRIPT_VARIABLES = {
  PORT: { fallback: 3000, min: 1, max: 65_535 },
  PGPORT: { fallback: 54329, min: 1, max: 65_535 },
  WORKER_CONCURRENCY: { fallback: 4, min: 1, max: 256 },
  WORKER_DATABASE_WAIT_SECONDS: { fallback: 120, min: 0, max: 86_400 },
} as const;
export type ScriptVariable = keyof typeof SCRIPT_VARIABLES;

function scriptVariableIssue(name: ScriptVariable): string | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const { min, max } = SCRIPT_VARIABLES[name];
  const value = Number(raw);
  if (Number.isInteger(value) && value >= min && value <= max) return undefined;
  return `${name}: must be a whole number from ${min} to ${max}, got "${raw.slice(0, 40)}"`;
}

/** One of the scripts' own variables, or its default; a bad value is an EnvError. */
export function scriptVariable(name: ScriptVariable): number {
  const issue = scriptVariableIssue(name);
  if (issue) throw new EnvError([issue]);
  const raw = process.env[name]?.trim();
  return raw ? Number(raw) : SCRIPT_VARIABLES[name].fallback;
}

/**
 * What every script does first: checks the whole environment, the app's variables and
 * the scripts' own, and throws one EnvError naming every bad variable.
 */
export function checkEnv() {
  const issues: string[] = [];
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    issues.push(...error.issues);
  }
  for (const name of Object.keys(SCRIPT_VARIABLES) as ScriptVariable[]) {
    const issue = scriptVariableIssue(name);
    if (issue) issues.push(issue);
  }
  if (issues.length > 0) throw new EnvError(issues);
}

/** Parses an environment; exported for tests, the app uses `env`. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings come from `.env` lines such as `RESEND_API_KEY=`: treat them as unset.
  const cleaned: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== ""),
  );
  const result = schema.safeParse({ ...cleaned, APP_URL: appUrlFrom(cleaned) });
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`));
  }
  return { ...result.data, APP_URL: result.data.APP_URL ?? "http://localhost:3000" };
}

let cached: Env | undefined;

/** The validated environment, read lazily so scripts can set variables before first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Drops the cached parse; tests and scripts that change process.env call it. */
export function resetEnv() {
  cached = undefined;
}

/** Dev-only secrets used when none is set, so a fresh clone runs with no .env. */
export const DEV_AUTH_SECRET = "slotline-dev-secret-do-not-use-in-production-0123456789";
export const DEV_CRON_SECRET = "slotline-dev-cron-secret";

/** A secret, or the public dev value outside production; never the dev value in production. */
function secret(key: "BETTER_AUTH_SECRET" | "CRON_SECRET", devValue: string) {
  const value = env()[key];
  if (value) return value;
  if (env().NODE_ENV === "production") throw new EnvError([`${key}: ${key} is required in production`]);
  return devValue;
}

export function authSecret() {
  return secret("BETTER_AUTH_SECRET", DEV_AUTH_SECRET);
}

export function cronSecret() {
  return secret("CRON_SECRET", DEV_CRON_SECRET);
}
