import "server-only";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { z } from "zod";
import { email, excerpt, NAME_MAX, requiredText } from "@/lib/clinic/form-fields";

/**
 * better-auth's HTTP endpoints under /api/auth (update-user, revoke-session, ...) take
 * JSON our forms never see. This hook holds their bodies and query strings to the same
 * field rules, so a NUL in a name or a 3 MB name is a 400 with a message, not a
 * PostgreSQL error (a 500) or a row no page can show.
 */

const fields: Record<string, z.ZodType> = {
  name: requiredText(NAME_MAX, "name"),
  email: email(),
  newEmail: email(),
  image: z.url("Give the image as a URL").max(2048, "Keep the image URL under 2048 characters"),
};
// Passwords are at most 128 (better-auth's own limit); tokens and callback URLs are short.
const ANY_STRING_MAX = 4096;
const CONTROL = /[\p{Cc}\p{Cs}]/u;

/** The first thing wrong in `value` (a parsed JSON body or a query object), or null. */
function findBadInput(value: unknown, path: string[] = [], depth = 0): string | null {
  if (depth > 8) return "The request body is nested too deeply.";
  if (typeof value === "string") {
    const key = path.at(-1) ?? "value";
    const schema = path.length === 1 ? fields[key] : undefined;
    if (schema) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) return `${key}: ${parsed.error.issues[0].message}`;
    }
    if (value.length > ANY_STRING_MAX) return `${excerpt(key)} is longer than ${ANY_STRING_MAX} characters.`;
    // A password is hashed, never stored or shown: any character may be in one.
    if (CONTROL.test(value) && !/password/i.test(key)) return `${excerpt(key)} contains a control character.`;
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const problem = findBadInput(inner, [...path, key], depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

export const refuseBadAuthInput = createAuthMiddleware(async (ctx) => {
  const problem = findBadInput(ctx.body) ?? findBadInput(ctx.query);
  if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: "INVALID_INPUT" });
});
