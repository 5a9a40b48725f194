import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, Field, SelectField, SubmitButton } from "@/app/_ui/form";
import { TimeZoneField } from "@/app/_ui/time-zone-field";
import { NAME_MAX, SLUG_MAX } from "@/lib/clinic/form-fields";
import { currencyOptions, DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, timeZoneOptions } from "@/lib/clinic/region";
import { homePathFor } from "@/lib/auth/onboarding";
import { getUser } from "@/lib/auth/session";
import { invitationPath } from "@/lib/team/invitation-token";
import { findInvitationByToken } from "@/lib/team/join";
import { AccountFields } from "../account-fields";
import { signUpAction } from "../actions";
import { InvitedSignUp } from "./invited-sign-up";

export const metadata = { title: "Create your clinic" };

type SearchParams = Promise<{ invite?: string | string[] }>;

/**
 * Creates a clinic and its owner; with `?invite=<token>` (from an invitation) an account
 * that joins someone else's clinic instead. An invitation no longer pending sends the
 * visitor back to it, where it says why: that sign-up never makes a clinic.
 */
export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const { invite } = await searchParams;
  const token = typeof invite === "string" ? invite : undefined;
  const user = await getUser();
  if (user) redirect(token ? invitationPath(token) : await homePathFor(user));
  if (token !== undefined) {
    const found = await findInvitationByToken(token);
    if (found?.state !== "pending") redirect(invitationPath(token));
    return <InvitedSignUp token={token} found={found} />;
  }
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
        <AccountFields />
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
