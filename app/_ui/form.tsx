"use client";

import { createContext, use, useActionState, useId, useState } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/auth/action";
import { FORM_CLINIC_FIELD } from "@/lib/auth/form-clinic";
import { controlClass } from "./control-class";
import { formDataSize, formTooLargeMessage, SERVER_ACTION_BODY_LIMIT } from "@/lib/http/body-limit";

/**
 * Forms post to server actions and work without JavaScript; with it, useActionState
 * keeps the page and shows the action's field errors beside each input.
 */

export type FormAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

const FormState = createContext<ActionState>({ status: "idle" });

/** The clinic the dashboard is showing; every ActionForm under it posts the id (lib/auth/form-clinic.ts). */
const ShownClinic = createContext<string | undefined>(undefined);
export function ShownClinicProvider({ clinicId, children }: { clinicId: string; children: React.ReactNode }) {
  return <ShownClinic value={clinicId}>{children}</ShownClinic>;
}

export function ActionForm({
  action,
  children,
  className,
}: {
  action: FormAction;
  children: React.ReactNode;
  className?: string;
}) {
  const [actionState, formAction] = useActionState(action, { status: "idle" });
  const shownClinic = use(ShownClinic);
  const [tooLarge, setTooLarge] = useState<string>();
  const state: ActionState = tooLarge ? { ...actionState, status: "error", message: tooLarge } : actionState;
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        const message = oversizeMessage(event.currentTarget);
        setTooLarge(message);
        if (message) event.preventDefault();
      }}
      className={className ?? "space-y-4"}
      noValidate
    >
      {shownClinic ? <input type="hidden" name={FORM_CLINIC_FIELD} value={shownClinic} /> : null}
      <FormState value={state}>
        <FormMessage />
        {children}
      </FormState>
    </form>
  );
}

/**
 * A form over the server-action body limit would get a bare error from Next; it is
 * stopped here with a sentence instead (preventDefault keeps React from sending it).
 * The inputs' maxLength makes this rare: it takes pasting into a field without one.
 */
export function oversizeMessage(form: HTMLFormElement): string | undefined {
  const size = formDataSize(new FormData(form));
  return size > SERVER_ACTION_BODY_LIMIT ? formTooLargeMessage(size) : undefined;
}

export function useFormState() {
  return use(FormState);
}

/**
 * What a field shows after its form was posted: what was typed when there is something
 * to correct, otherwise nothing (so an "add" form is empty again after a successful add,
 * and an edit form shows the saved values the page re-renders with).
 */
function echoed(state: ActionState, name: string): string | undefined {
  return state.status === "error" ? state.values?.[name] : undefined;
}

function FormMessage() {
  const state = useFormState();
  if (!state.message) return null;
  const ok = state.status === "ok";
  return (
    <p
      role={ok ? "status" : "alert"}
      className={`rounded-md px-3 py-2 text-sm ${ok ? "bg-brand-50 text-brand-700" : "bg-red-50 text-red-700"}`}
    >
      {state.message}
    </p>
  );
}

/** What every labelled field takes besides its control's own attributes. */
type LabelProps = { name: string; label: string; hint?: string };

type FieldProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, "name"> & LabelProps;

export function Field({ name, label, hint, defaultValue, className, ...props }: FieldProps) {
  return (
    <LabelledField name={name} label={label} hint={hint} className={className}>
      {(control) => <input {...control} defaultValue={control.defaultValue ?? defaultValue} {...props} />}
    </LabelledField>
  );
}

type TextareaFieldProps = Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "name"> & LabelProps;

/** A multi-line Field (an address): its line breaks reach the action as typed. */
export function TextareaField({ name, label, hint, defaultValue, className, ...props }: TextareaFieldProps) {
  return (
    <LabelledField name={name} label={label} hint={hint} className={className}>
      {(control) => <textarea {...control} defaultValue={control.defaultValue ?? defaultValue} {...props} />}
    </LabelledField>
  );
}

/** The label, hint and field errors around one control; the control gets its id, name and echoed value. */
export function LabelledField({
  name,
  label,
  hint,
  className,
  children,
}: LabelProps & {
  className?: string;
  children: (control: {
    id: string;
    name: string;
    defaultValue?: string;
    "aria-invalid"?: true;
    "aria-describedby"?: string;
    className: string;
  }) => React.ReactNode;
}) {
  const state = useFormState();
  const id = useId();
  const errors = state.fieldErrors?.[name];
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-stone-700">
        {label}
      </label>
      {children({
        id,
        name,
        defaultValue: echoed(state, name),
        "aria-invalid": errors ? true : undefined,
        "aria-describedby": errors ? `${id}-error` : hint ? `${id}-hint` : undefined,
        className: controlClass,
      })}
      {hint && !errors ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  hint,
  options,
  defaultValue,
  className,
}: LabelProps & {
  options: { value: string; label: string }[];
  defaultValue?: string;
  className?: string;
}) {
  return (
    <LabelledField name={name} label={label} hint={hint} className={className}>
      {(control) => (
        <select {...control} defaultValue={control.defaultValue ?? defaultValue}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </LabelledField>
  );
}

export function CheckboxField({
  name,
  label,
  defaultChecked,
}: {
  name: string;
  label: string;
  defaultChecked?: boolean;
}) {
  const state = useFormState();
  const id = useId();
  const checked = state.status === "error" && state.values ? state.values[name] === "on" : defaultChecked;
  // A box that must be ticked (a confirmation) says so under it.
  const errors = state.fieldErrors?.[name];
  return (
    <div>
      <label className="flex items-center gap-2 text-sm text-stone-700">
        <input
          type="checkbox"
          name={name}
          defaultChecked={checked}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${id}-error` : undefined}
          className="size-4 rounded border-stone-300 text-brand-600 focus:ring-2 focus:ring-brand-500"
        />
        {label}
      </label>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700">
      {errors.join(" ")}
    </p>
  );
}

export function SubmitButton({
  children,
  variant = "primary",
  name,
  value,
}: {
  children: React.ReactNode;
  variant?: "primary" | "secondary" | "danger";
  name?: string;
  value?: string;
}) {
  const { pending } = useFormStatus();
  const styles = {
    primary: "bg-brand-600 text-white hover:bg-brand-700",
    secondary: "border border-stone-300 bg-white text-stone-800 hover:bg-stone-50",
    danger: "border border-red-200 bg-white text-red-700 hover:bg-red-50",
  }[variant];
  return (
    <button
      type="submit"
      name={name}
      value={value}
      disabled={pending}
      className={`rounded-md px-3 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 disabled:opacity-60 ${styles}`}
    >
      {pending ? "Working…" : children}
    </button>
  );
}
