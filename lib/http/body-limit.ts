/**
 * How large a request body may be. Every form's fields have their own, far smaller
 * limits (lib/clinic/form-fields.ts), so any text a person types gets a field error;
 * these limits only stop what no form sends. next.config.ts gives the server-action
 * limit to Next, proxy.ts answers 413 above it, forms check it before sending, and
 * route handlers that read bodies use withBodyLimit (./route-body-limit.ts).
 */

/** Server actions (all forms). Above Next's 1 MB default so a 1 MB field still gets its field error. */
export const SERVER_ACTION_BODY_LIMIT = 2 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** What the browser will send for `data`, near enough (field names and values as UTF-8). */
export function formDataSize(data: FormData): number {
  let size = 0;
  for (const [key, value] of data.entries())
    size += new Blob([key]).size + (typeof value === "string" ? new Blob([value]).size : value.size);
  return size;
}

export function formTooLargeMessage(size?: number): string {
  const held = size ? `This form holds ${formatBytes(size)}; ` : "This form is too large: ";
  return `${held}the most it can send is ${formatBytes(SERVER_ACTION_BODY_LIMIT)}. Shorten what you entered and send it again.`;
}
