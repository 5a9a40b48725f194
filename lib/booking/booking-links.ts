import "server-only";
import { env } from "@/lib/env";

/** A clinic's public booking page, optionally with a treatment chosen (the `service` query of ./booking-page.ts). */
export function bookingPagePath(clinicSlug: string, serviceId?: string): string {
  const path = `/book/${clinicSlug}`;
  return serviceId ? `${path}?${new URLSearchParams({ service: serviceId })}` : path;
}

/** The booking page's absolute address, for emails and for the owner to share. */
export function bookingPageUrl(clinicSlug: string): string {
  return new URL(bookingPagePath(clinicSlug), env().APP_URL).toString();
}

/** A booking's own page, where its client moves or cancels it: `token` is its signed id (./cancel-token.ts). */
export function bookingManagePath(clinicSlug: string, token: string): string {
  return `${bookingPagePath(clinicSlug)}/manage/${token}`;
}
