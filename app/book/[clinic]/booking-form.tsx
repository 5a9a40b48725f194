"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/auth/action";
import type { Slot } from "@/lib/booking/slots";
import { controlClass } from "@/app/_ui/control-class";
import { FieldErrors, oversizeMessage } from "@/app/_ui/form";
import { CLIENT_PHONE_MAX, EMAIL_MAX, NAME_MAX, NOTE_MAX } from "@/lib/clinic/form-fields";
import { SlotPicker } from "@/app/_ui/slot-picker";
import { bookAction } from "./actions";

type Props = {
  clinicSlug: string;
  serviceId: string;
  practitionerId: string;
  timeZone: string;
  locale: string;
  showZoneNames: boolean;
  slots: Slot[];
};

/**
 * The slot picker and the client's details in one form. When the slot was just
 * taken, the action returns the slots still free and they replace the old list.
 */
export function BookingForm({ clinicSlug, serviceId, practitionerId, timeZone, locale, showZoneNames, slots }: Props) {
  const [actionState, action, pending] = useActionState<ActionState, FormData>(bookAction, { status: "idle" });
  const [tooLarge, setTooLarge] = useState<string>();
  const state: ActionState = tooLarge ? { ...actionState, message: tooLarge } : actionState;
  const remaining = (state.data as { remaining?: Slot[] } | undefined)?.remaining;
  const shown = remaining ?? slots;
  const errors = state.fieldErrors ?? {};
  const value = (name: string) => state.values?.[name];

  return (
    <form
      action={action}
      onSubmit={(event) => {
        const message = oversizeMessage(event.currentTarget);
        setTooLarge(message);
        if (message) event.preventDefault();
      }}
      className="space-y-6"
      noValidate
    >
      <input type="hidden" name="clinic" value={clinicSlug} />
      <input type="hidden" name="serviceId" value={serviceId} />
      <input type="hidden" name="practitionerId" value={practitionerId} />
      {state.message ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.message}
          {remaining
            ? remaining.length
              ? " These times are still free:"
              : " No other times are free that day; try another day."
            : null}
        </p>
      ) : null}
      <SlotPicker
        legend="Time"
        slots={shown}
        clock={{ timeZone, locale }}
        showZoneNames={showZoneNames}
        checked={remaining ? undefined : value("start")}
      >
        <FieldErrors errors={errors.start} />
      </SlotPicker>
      <div className="grid gap-4 sm:grid-cols-3">
        {(
          [
            ["name", "Your name", "text", "name", NAME_MAX],
            ["email", "Email", "email", "email", EMAIL_MAX],
            ["phone", "Phone (optional)", "tel", "tel", CLIENT_PHONE_MAX],
          ] as const
        ).map(([name, text, type, autoComplete, maxLength]) => (
          <div key={name}>
            <label htmlFor={`book-${name}`} className="block text-sm font-medium text-stone-700">
              {text}
            </label>
            <input
              id={`book-${name}`}
              name={name}
              type={type}
              autoComplete={autoComplete}
              maxLength={maxLength}
              defaultValue={value(name)}
              aria-invalid={errors[name] ? true : undefined}
              aria-describedby={errors[name] ? `book-${name}-error` : undefined}
              className={controlClass}
            />
            <FieldErrors id={`book-${name}-error`} errors={errors[name]} />
          </div>
        ))}
      </div>
      <div>
        <label htmlFor="book-note" className="block text-sm font-medium text-stone-700">
          Anything the clinic should know? (optional)
        </label>
        <textarea
          id="book-note"
          name="note"
          rows={3}
          maxLength={NOTE_MAX}
          defaultValue={value("note")}
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={errors.note ? "book-note-error" : undefined}
          className={controlClass}
        />
        <FieldErrors id="book-note-error" errors={errors.note} />
      </div>
      <button
        type="submit"
        disabled={pending || shown.length === 0}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 disabled:opacity-60"
      >
        {pending ? "Booking…" : "Book appointment"}
      </button>
    </form>
  );
}
