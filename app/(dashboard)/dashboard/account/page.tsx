import Link from "next/link";
import { CurrentPasswordField, NewPasswordField } from "@/app/(auth)/account-fields";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { EMAIL_MAX, NAME_MAX } from "@/lib/clinic/form-fields";
import { requireMember } from "@/lib/auth/session";
import { changeOwnEmail, changeOwnPassword, renameOwnAccount } from "../../actions";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Your account" };

/** Every member's own account, whatever their role: their name, sign-in address and password. */
export default async function AccountPage() {
  const { user } = await requireMember();
  return (
    <>
      <PageHeader title="Your account" description={`You sign in as ${user.email}.`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Name">
          <ActionForm action={renameOwnAccount} className="space-y-4">
            <Field
              name="name"
              label="Your name"
              autoComplete="name"
              defaultValue={user.name}
              maxLength={NAME_MAX}
              required
            />
            <SubmitButton>Save name</SubmitButton>
          </ActionForm>
        </Card>
        <Card title="Email address">
          <ActionForm action={changeOwnEmail} className="space-y-4">
            <Field
              name="email"
              label="New email address"
              type="email"
              autoComplete="email"
              maxLength={EMAIL_MAX}
              hint="We email it a link; you sign in with it once the link is opened."
              required
            />
            <CurrentPasswordField name="currentPassword" label="Your password" />
            <SubmitButton>Send a confirmation link</SubmitButton>
          </ActionForm>
        </Card>
        <Card title="Password">
          <ActionForm action={changeOwnPassword} className="space-y-4">
            <CurrentPasswordField name="currentPassword" label="Current password" />
            <NewPasswordField
              name="newPassword"
              label="New password"
              note="Every other device where you are signed in is signed out."
            />
            <SubmitButton>Change password</SubmitButton>
          </ActionForm>
          <p className="mt-4 text-sm text-stone-600">
            Forgotten it? Sign out and use{" "}
            <Link href="/forgot-password" className="font-medium text-brand-700 underline">
              Forgot your password?
            </Link>
          </p>
        </Card>
      </div>
    </>
  );
}
