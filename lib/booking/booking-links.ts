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

/**
 * The HTML that shows a clinic's booking page on its own website: the booking pages may
 * be framed by any site (lib/http/security-headers.ts). Names are escaped for an attribute.
 */
export function bookingEmbedHtml(clinic: { slug: string; name: string }): string {
  const title = `Book at ${clinic.name}`.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${bookingPageUrl(clinic.slug)}" title="${title}" style="width:100%;height:1100px;border:0"></iframe>`;
}

/** A booking's own page, where its client moves or cancels it: `token` is its signed id (./cancel-token.ts). */
export function bookingManagePath(clinicSlug: string, token: string): string {
  return `${bookingPagePath(clinicSlug)}/manage/${token}`;
}
