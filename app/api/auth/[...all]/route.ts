import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";
import { withBodyLimit } from "@/lib/http/route-body-limit";

// better-auth's own endpoints (session, sign out, update user...) under /api/auth/*.
// Their JSON bodies are a few hundred bytes; the fields inside are checked by lib/auth/http-input.ts.
const AUTH_BODY_LIMIT = 64 * 1024;
const handlers = toNextJsHandler((request) => auth().handler(request));

export const GET = handlers.GET;
export const POST = withBodyLimit(AUTH_BODY_LIMIT, handlers.POST);
export const PATCH = withBodyLimit(AUTH_BODY_LIMIT, handlers.PATCH);
export const PUT = withBodyLimit(AUTH_BODY_LIMIT, handlers.PUT);
export const DELETE = withBodyLimit(AUTH_BODY_LIMIT, handlers.DELETE);
