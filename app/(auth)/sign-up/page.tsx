import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
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
        <Field name="clinicName" label="Clinic name" required />
        <Field
          name="slug"
          label="Booking page address"
          hint="Clients book at /book/<this>, e.g. riverside-physio"
          required
        />
        <Field name="name" label="Your name" autoComplete="name" required />
        <Field name="email" label="Email" type="email" autoComplete="email" required />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters"
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
