/**
 * The demo clinic and its owner that `npm run dev` seeds (lib/demo/seed.ts). Kept free
 * of imports so that the operator allowlist can name the demo owner without pulling in
 * the database client.
 */
export const DEMO = {
  clinicName: "Demo Clinic",
  slug: "demo-clinic",
  timeZone: "Europe/London",
  ownerName: "Dana Demo",
  email: "demo@slotline.dev",
  password: "demo-password-123",
} as const;
