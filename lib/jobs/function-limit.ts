/**
 * How long the cron routes and /api/inngest may run, in seconds: Vercel's ceiling on Hobby
 * with Fluid compute, which is on for every new project (Pro allows up to 800). The routes
 * export it as a literal `maxDuration` (Next reads route config without running it), and
 * vercel.json repeats it for the cron routes; tests/unit/jobs-vercel-crons.test.ts keeps
 * the three equal. A drain only runs this long while work is due: it ends when none is.
 */
export const FUNCTION_MAX_DURATION_S = 300;
