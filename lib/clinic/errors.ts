/**
 * Typed errors the clinic and booking code throws; the action wrapper turns each
 * into a message a person can act on (lib/auth/action.ts).
 */

/** An id that does not exist, or belongs to another clinic: both look the same. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The member's role may not do this (staff editing treatments, say). */
export class ForbiddenError extends Error {
  override name = "ForbiddenError";
  constructor(message = "Your role does not allow this. Ask the clinic owner or an admin.") {
    super(message);
  }
}

/** Input that passed the schema but breaks a rule that needs the database (a taken slug). */
export class FieldError extends Error {
  override name = "FieldError";
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A client's state stands in the way: erased already, or still booked when asked to erase. */
export class ClientStateError extends Error {
  override name = "ClientStateError";
}
