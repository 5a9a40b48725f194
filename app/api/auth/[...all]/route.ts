import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";

// better-auth's own endpoints (sign in, sign out, session) under /api/auth/*.
export const { GET, POST, PATCH, PUT, DELETE } = toNextJsHandler((request) => auth().handler(request));
