import { isRedirectError } from "next/dist/client/components/redirect-error";
import { describe, expect, it, vi } from "vitest";
import { rowCounts } from "../fuzz/inputs";

// The actions check for an operator through the session; here the caller is one.
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  requireOperator: async () => ({ user: { id: "op", name: "Operator", email: "op@example.com" } }),
}));

const { cancelRunAction, replayRunAction, retryRunAction } = await import("@/app/admin/jobs/actions");

/**
 * The Retry, Replay and Cancel buttons bind a run id into the form, but a server action
 * is a public endpoint: anyone can call it with any arguments. Each gets a redirect
 * back to the list with a notice (a 303, not a 500), and nothing changes.
 */
describe("admin job actions with arguments no page sends", () => {
  it.each([
    ["not a UUID", "not-a-run"],
    ["3,000 characters", "r".repeat(3_000)],
    ["a NUL", "\u0000"],
    ["a number", 42],
    ["an object", { id: "x" }],
    ["nothing", undefined],
  ])("%s", async (_, argument) => {
    const before = await rowCounts();
    for (const action of [retryRunAction, replayRunAction, cancelRunAction]) {
      const thrown = await action(argument).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isRedirectError(thrown), String(thrown)).toBe(true);
      expect((thrown as { digest: string }).digest).toContain("/admin/jobs?notice=That%20is%20not%20a%20run%20id");
    }
    expect(await rowCounts()).toEqual(before);
  });
});
