import fs from "node:fs";

// The scripts read .env.local and .env as `next dev` does, so one file configures both
// the app and `npm run dev`, `jobs`, `worker` and `db:*`. Variables already set in the
// shell win (process.loadEnvFile never overwrites them).
for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
