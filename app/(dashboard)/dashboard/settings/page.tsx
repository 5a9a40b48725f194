import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { updateClinicSettings } from "../../actions";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const member = await requireMember();
  const { clinic } = member;
  const manager = MANAGER_ROLES.includes(member.role);
  return (
    <>
      <PageHeader title="Clinic settings" description={`Your booking page: /book/${clinic.slug}`} />
      <Card>
        {manager ? (
          <ActionForm action={updateClinicSettings} className="max-w-lg space-y-4">
            <Field name="name" label="Clinic name" defaultValue={clinic.name} required />
            <Field
              name="timeZone"
              label="Time zone"
              defaultValue={clinic.timeZone}
              list="time-zones"
              hint="IANA name, e.g. Europe/London. Working hours and bookings are read in it."
              required
            />
            <datalist id="time-zones">
              {Intl.supportedValuesOf("timeZone").map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            <Field
              name="cancellationNoticeHours"
              label="Cancellation notice (hours)"
              type="number"
              min={0}
              max={720}
              defaultValue={clinic.cancellationNoticeHours}
              hint="Clients can cancel online until this many hours before the appointment."
              required
            />
            <SubmitButton>Save settings</SubmitButton>
          </ActionForm>
        ) : (
          <dl className="grid max-w-lg grid-cols-2 gap-2 text-sm">
            <dt className="text-stone-500">Name</dt>
            <dd>{clinic.name}</dd>
            <dt className="text-stone-500">Time zone</dt>
            <dd>{clinic.timeZone}</dd>
            <dt className="text-stone-500">Cancellation notice</dt>
            <dd>{clinic.cancellationNoticeHours} hours</dd>
            <p className="col-span-2 mt-2 text-stone-500">Only the owner or an admin can change these.</p>
          </dl>
        )}
      </Card>
    </>
  );
}
