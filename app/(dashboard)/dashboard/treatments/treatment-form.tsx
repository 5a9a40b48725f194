import { ActionForm, CheckboxField, Field, SubmitButton } from "@/app/_ui/form";
import type { ActionState } from "@/lib/auth/action";
import type { Service } from "@/lib/db/schema";
import { minorToPounds } from "@/lib/clinic/money";

/** Shared by "add" and "edit": the same fields, the edit form carries the id. */
export function TreatmentForm({
  action,
  treatment,
  submitLabel,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  treatment?: Service;
  submitLabel: string;
}) {
  return (
    <ActionForm action={action} className="grid gap-4 sm:grid-cols-2">
      {treatment ? <input type="hidden" name="id" value={treatment.id} /> : null}
      <Field name="name" label="Name" defaultValue={treatment?.name} required className="sm:col-span-2" />
      <Field
        name="durationMinutes"
        label="Duration (minutes)"
        type="number"
        min={5}
        max={720}
        step={5}
        defaultValue={treatment?.durationMinutes ?? 30}
        required
      />
      <Field
        name="price"
        label="Price (£)"
        inputMode="decimal"
        defaultValue={treatment ? minorToPounds(treatment.priceMinor) : ""}
        placeholder="45.00"
        required
      />
      <Field
        name="description"
        label="Description (optional)"
        defaultValue={treatment?.description ?? ""}
        className="sm:col-span-2"
      />
      <CheckboxField name="active" label="Bookable online" defaultChecked={treatment?.active ?? true} />
      <div className="sm:col-span-2">
        <SubmitButton>{submitLabel}</SubmitButton>
      </div>
    </ActionForm>
  );
}
