import { redirect } from "next/navigation";
import { ActionForm, Field, SelectField, SubmitButton } from "@/app/_ui/form";
import { TimeZoneField } from "@/app/_ui/time-zone-field";
import { NAME_MAX, SLUG_MAX } from "@/lib/clinic/form-fields";
import { currencyOptions, DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, timeZoneOptions } from "@/lib/clinic/region";
import { getMember, requireUser } from "@/lib/auth/session";
import { createClinicAction, signOutAction } from "../../actions";

export const metadata = { title: "Create your clinic" };

/**
 * For a signed-in user who belongs to no clinic: a sign-up that stopped between
 * creating the account and the clinic. requireMember and sign-in send them here.
 */
export default async function CreateClinicPage() {
  const user = await requireUser();
  if (await getMember()) redirect("/dashboard");
  return (
    <>
      <h1 className="text-2xl font-semibold">Create your clinic</h1>
      <p className="mt-1 text-sm text-stone-600">
        You are signed in as {user.email}, but your account has no clinic yet. Create it and you will be its owner.
      </p>
      <ActionForm action={createClinicAction} className="mt-6 space-y-4">
        <Field name="clinicName" label="Clinic name" maxLength={NAME_MAX} required />
        <Field
          name="slug"
          label="Booking page address"
          hint="Clients book at /book/<this>, e.g. riverside-physio"
          maxLength={SLUG_MAX}
          required
        />
        <TimeZoneField options={timeZoneOptions()} fallback={DEFAULT_TIME_ZONE} />
        <SelectField
          name="currency"
          label="Currency of your prices"
          options={currencyOptions()}
          defaultValue={DEFAULT_CURRENCY}
        />
        <SubmitButton>Create clinic</SubmitButton>
      </ActionForm>
      <form action={signOutAction} className="mt-6 text-sm text-stone-600">
        Not you?{" "}
        <button type="submit" className="font-medium text-brand-700 underline">
          Sign out
        </button>
      </form>
    </>
  );
}
