/**
 * A link to a new address that cannot be used (expired, used, or overtaken by another
 * change): its message says which, and that nothing changed. Apart from
 * ./email-change.ts, which imports the job layer, so the action wrapper can know it.
 */
export class EmailChangeLinkError extends Error {
  override name = "EmailChangeLinkError";
}
