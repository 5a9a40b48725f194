import { ActionForm, CheckboxField, Field, SubmitButton } from "@/app/_ui/form";
import type { ActionState } from "@/lib/auth/action";
import type { Service } from "@/lib/db/schema";
import { currencySymbol } from "@/lib/billing/money";
import { examplePrice, minorToPriceInput } from "@/lib/clinic/money";

/** Shared by "add" and "edit": the same fields, the edit form carries the id. Prices are in the clinic's currency. */
export function TreatmentForm({
  action,
  treatment,
  currency,
  submitLabel,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  treatment?: Service;
  currency: string;
  submitLabel: string;
}) {
  return (
    <ActionForm action={action} className="grid gap-4 sm:grid-cols-2">
      {treatment ? <input type="hidden" name="id" value={treatment.id} /> : null}
      {/* Name and price side by side, then the two lengths: no field alone on a row at desktop widths. */}
      <Field name="name" label="Name" defaultValue={treatment?.name} required />
      <Field
        name="price"
        label={`Price (${currencySymbol(currency)})`}
        inputMode="decimal"
        defaultValue={treatment ? minorToPriceInput(treatment.priceMinor, currency) : ""}
        placeholder={examplePrice(currency)}
        maxLength={20}
        required
      />
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
        name="bufferMinutes"
        label="Buffer after (minutes)"
        type="number"
        min={0}
        max={240}
        step={5}
        defaultValue={treatment?.bufferMinutes ?? 0}
        hint="Kept free after each appointment, before the practitioner's next one. Clients do not see it."
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
