import Link from "next/link";
import { CurrentPasswordField, NewPasswordField } from "@/app/(auth)/account-fields";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { EMAIL_MAX, NAME_MAX } from "@/lib/clinic/form-fields";
import { listSignedInDevices } from "@/lib/auth/devices";
import { getSessionId, requireMember } from "@/lib/auth/session";
import { formatClinicDateTime } from "@/lib/format/clinic-time";
import { changeOwnEmail, changeOwnPassword, renameOwnAccount, signOutElsewhere } from "../../actions";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Your account" };

/** Every member's own account, whatever their role: their name, sign-in address, password and devices. */
export default async function AccountPage() {
  const { user, clinic } = await requireMember();
  const devices = await listSignedInDevices(user.id, (await getSessionId()) ?? "");
  const others = devices.filter((device) => !device.current).length;
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
        <Card title="Where you are signed in">
          <ul className="divide-y divide-stone-100 text-sm" aria-label="Signed-in devices">
            {devices.map((device) => (
              <li key={device.id} className="py-2">
                <p className="font-medium text-stone-800">
                  {device.device}
                  {device.current ? <span className="font-normal text-brand-700"> · this device</span> : null}
                </p>
                <p className="text-stone-600">
                  Signed in on {formatClinicDateTime(device.signedInAt, clinic)}
                  {device.ipAddress ? ` from ${device.ipAddress}` : ""}
                </p>
              </li>
            ))}
          </ul>
          {/* Always there, so its answer stays on screen when the list shrinks to this device. */}
          <ActionForm action={signOutElsewhere} className="mt-4 space-y-4">
            {others > 0 ? (
              <SubmitButton variant="secondary">Sign out everywhere else</SubmitButton>
            ) : (
              <p className="text-sm text-stone-600">You are signed in on this device only.</p>
            )}
          </ActionForm>
        </Card>
      </div>
    </>
  );
}
