import { describe, expect, it } from "vitest";
import { isOperator, operatorEmails } from "@/lib/auth/operators";
import { parseOperatorEmails } from "@/lib/env";
import { DEMO } from "@/lib/demo/demo-clinic";

describe("operator allowlist (OPERATOR_EMAILS)", () => {
  it("splits on commas, trims, lowercases and drops empty entries", () => {
    expect(parseOperatorEmails(" Ops@Example.com,b@example.com , ,\tC@EXAMPLE.COM,")).toEqual([
      "ops@example.com",
      "b@example.com",
      "c@example.com",
    ]);
    expect(parseOperatorEmails("")).toEqual([]);
  });

  it("matches emails without regard to case or surrounding spaces", () => {
    const env = { OPERATOR_EMAILS: "Ops@Example.com, b@example.com", NODE_ENV: "production" };
    expect(isOperator("ops@example.com", env)).toBe(true);
    expect(isOperator(" B@EXAMPLE.COM ", env)).toBe(true);
    expect(isOperator("owner@example.com", env)).toBe(false);
    expect(isOperator("ops@example.co", env)).toBe(false);
    expect(isOperator("", env)).toBe(false);
    expect(isOperator(null, env)).toBe(false);
    expect(isOperator(undefined, env)).toBe(false);
  });

  it("makes the demo owner the operator when unset outside production, so a fresh `npm run dev` can open /admin/jobs", () => {
    for (const NODE_ENV of ["development", "test", undefined]) {
      expect(operatorEmails({ NODE_ENV })).toEqual([DEMO.email]);
      expect(isOperator(DEMO.email, { NODE_ENV, OPERATOR_EMAILS: "" })).toBe(true);
      expect(isOperator("someone@example.com", { NODE_ENV })).toBe(false);
    }
  });

  it("names nobody when unset in production, and only the listed people when set", () => {
    expect(operatorEmails({ NODE_ENV: "production" })).toEqual([]);
    expect(operatorEmails({ NODE_ENV: "production", OPERATOR_EMAILS: "  " })).toEqual([]);
    expect(isOperator(DEMO.email, { NODE_ENV: "production" })).toBe(false);
    // Set, the list replaces the demo default in development too.
    expect(isOperator(DEMO.email, { NODE_ENV: "development", OPERATOR_EMAILS: "ops@example.com" })).toBe(false);
    expect(isOperator("ops@example.com", { NODE_ENV: "development", OPERATOR_EMAILS: "ops@example.com" })).toBe(true);
  });

  it("reads process.env by default", () => {
    const saved = process.env.OPERATOR_EMAILS;
    try {
      process.env.OPERATOR_EMAILS = "from-env@example.com";
      expect(isOperator("FROM-ENV@example.com")).toBe(true);
      expect(isOperator(DEMO.email)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.OPERATOR_EMAILS;
      else process.env.OPERATOR_EMAILS = saved;
    }
  });
});
