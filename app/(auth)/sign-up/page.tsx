import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, Field, SelectField, SubmitButton } from "@/app/_ui/form";
import { TimeZoneField } from "@/app/_ui/time-zone-field";
import { EMAIL_MAX, NAME_MAX, SLUG_MAX } from "@/lib/clinic/form-fields";
import { currencyOptions, DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, timeZoneOptions } from "@/lib/clinic/region";
import { homePathFor } from "@/lib/auth/onboarding";
import { getUser } from "@/lib/auth/session";
import { signUpAction } from "../actions";

export const metadata = { title: "Create your clinic" };

export default async function SignUpPage() {
  const user = await getUser();
  if (user) redirect(await homePathFor(user));
  return (
    <>
      <h1 className="text-2xl font-semibold">Create your clinic</h1>
      <p className="mt-1 text-sm text-stone-600">You will be its owner. Add treatments and practitioners next.</p>
      <ActionForm action={signUpAction} className="mt-6 space-y-4">
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
        <Field name="name" label="Your name" autoComplete="name" maxLength={NAME_MAX} required />
        <Field name="email" label="Email" type="email" autoComplete="email" maxLength={EMAIL_MAX} required />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters"
          maxLength={128}
          required
        />
        <SubmitButton>Create clinic</SubmitButton>
      </ActionForm>
      <p className="mt-6 text-sm text-stone-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
