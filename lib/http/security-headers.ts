/**
 * Response headers for every page (next.config.ts). The public booking pages may be
 * shown in a frame on a clinic's own site (they need no cookie, so a third-party frame
 * books like a tab does); everything else refuses to be framed, so no other site can
 * lay a signed-in dashboard under its own clicks.
 */

type HeaderRule = { source: string; headers: { key: string; value: string }[] };

const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Links in pages with a token in their address (manage, reset, confirm) give other sites the origin only.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

export const securityHeaders: HeaderRule[] = [
  {
    // Every path but the booking pages (and Next's own assets, which carry no page).
    source: "/((?!book/|_next/).*)",
    headers: [
      ...everywhere,
      { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
      // For browsers that predate frame-ancestors.
      { key: "X-Frame-Options", value: "DENY" },
    ],
  },
  {
    source: "/book/:path*",
    headers: [...everywhere, { key: "Content-Security-Policy", value: "frame-ancestors *" }],
  },
];
