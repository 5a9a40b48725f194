import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { EMAIL_MAX } from "@/lib/clinic/form-fields";
import { homePathFor } from "@/lib/auth/onboarding";
import { getUser } from "@/lib/auth/session";
import { signInAction } from "../actions";

export const metadata = { title: "Sign in" };

export default async function SignInPage() {
  const user = await getUser();
  if (user) redirect(await homePathFor(user));
  return (
    <>
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-stone-600">Manage your clinic&apos;s appointments.</p>
      <ActionForm action={signInAction} className="mt-6 space-y-4">
        <Field name="email" label="Email" type="email" autoComplete="email" maxLength={EMAIL_MAX} required />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
        <SubmitButton>Sign in</SubmitButton>
      </ActionForm>
      <p className="mt-6 text-sm text-stone-600">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 underline">
          Create your clinic
        </Link>
      </p>
    </>
  );
}
