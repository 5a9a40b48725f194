"use client";

import { useActionState, useId } from "react";
import { SubmitOnChange } from "@/app/_ui/submit-on-change";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/auth/action";

type SwitchAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * The header's clinic picker for a member of several clinics: choosing one posts at once
 * (a Switch button stands in without JavaScript), and the dashboard reopens in it. Its
 * own compact form rather than ActionForm: a refusal fits in the header as one line.
 */
export function ClinicSwitcher({
  clinics,
  activeId,
  action,
}: {
  clinics: { id: string; name: string }[];
  activeId: string;
  action: SwitchAction;
}) {
  const [state, formAction] = useActionState(action, { status: "idle" });
  const id = useId();
  return (
    <form action={formAction} className="flex min-w-0 items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Clinic
      </label>
      <select
        id={id}
        name="clinicId"
        defaultValue={activeId}
        className="min-w-0 max-w-52 truncate rounded-md border border-stone-300 bg-white py-1.5 pr-7 pl-2 text-sm font-semibold text-brand-700 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/40 focus:outline-none"
      >
        {clinics.map((clinic) => (
          <option key={clinic.id} value={clinic.id}>
            {clinic.name}
          </option>
        ))}
      </select>
      <SubmitOnChange />
      <noscript>
        <Button type="submit" variant="secondary" size="sm">
          Switch
        </Button>
      </noscript>
      {state.status === "error" ? (
        <p role="alert" className="text-xs text-red-700">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
