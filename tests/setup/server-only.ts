// Stands in for the `server-only` package outside Next.js (vitest, tsx scripts),
// where there is no client bundle for it to guard.
export {};
