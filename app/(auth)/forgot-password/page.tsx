import Link from "next/link";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { EMAIL_MAX } from "@/lib/clinic/form-fields";
import { requestPasswordResetAction } from "../actions";

export const metadata = { title: "Reset your password" };

/** Asks for a reset link by email; the answer never says whether the address has an account. */
export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold">Reset your password</h1>
      <p className="mt-1 text-sm text-stone-600">
        Enter the email address you sign in with, and we will email you a link to choose a new password.
      </p>
      <ActionForm action={requestPasswordResetAction} className="mt-6 space-y-4">
        <Field name="email" label="Email" type="email" autoComplete="email" maxLength={EMAIL_MAX} required />
        <SubmitButton>Email me a link</SubmitButton>
      </ActionForm>
      <p className="mt-6 text-sm text-stone-600">
        Remembered it?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
