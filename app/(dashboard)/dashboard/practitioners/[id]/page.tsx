import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm, CheckboxField, Field, SubmitButton } from "@/app/_ui/form";
import { DatePickerField } from "@/app/_ui/date-picker-field";
import { TimeOptionsProvider, TimeSelectField } from "@/app/_ui/time-select";
import { SLOT_STEP_MINUTES } from "@/lib/booking/slots";
import { localDateOf } from "@/lib/booking/wall-clock";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/clinic/errors";
import { formatClinicDateTimeRange, minutesToTime, timeOfDayOptions } from "@/lib/format/clinic-time";
import { getPractitionerSchedule } from "@/lib/clinic/practitioners";
import { rangeFields, RANGES_PER_DAY, WEEKDAYS } from "@/lib/clinic/schedule";
import { addTimeOff, removeTimeOff, setWorkingHours, updatePractitioner } from "../../../actions";
import { Card, PageHeader } from "../../../page-header";

export const metadata = { title: "Practitioner" };

export default async function PractitionerPage({ params }: { params: Promise<{ id: string }> }) {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const { id } = await params;
  const { practitioner, hours, timeOff } = await getPractitionerSchedule(member, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const zone = member.clinic.timeZone;
  const today = localDateOf(new Date(), zone);

  return (
    <TimeOptionsProvider options={timeOfDayOptions(member.clinic.locale, SLOT_STEP_MINUTES)}>
      <PageHeader title={practitioner.name} description={`Times are in the clinic's zone, ${zone}.`}>
        <Link href="/dashboard/practitioners" className="text-sm text-brand-700 underline">
          All practitioners
        </Link>
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Working hours">
          <ActionForm action={setWorkingHours}>
            <input type="hidden" name="practitionerId" value={practitioner.id} />
            <p className="text-sm text-stone-600">
              Up to {RANGES_PER_DAY} ranges a day (a morning and an afternoon around lunch, say). A range left at
              &ldquo;Not worked&rdquo; is not worked.
            </p>
            {WEEKDAYS.map(([weekday, name]) => {
              const ranges = hours.filter((h) => h.weekday === weekday).sort((a, b) => a.startMinute - b.startMinute);
              return (
                <fieldset key={weekday} className="space-y-2 border-t border-stone-100 pt-3">
                  <legend className="text-sm font-medium text-stone-700">{name}</legend>
                  {Array.from({ length: RANGES_PER_DAY }, (_, i) => {
                    const fields = rangeFields(weekday, i + 1);
                    const suffix = i === 0 ? "" : ` (range ${i + 1})`;
                    return (
                      <div key={i} className="grid grid-cols-2 gap-3">
                        {(["start", "end"] as const).map((end) => (
                          <TimeSelectField
                            key={end}
                            name={fields[end]}
                            label={`${name} ${end}${suffix}`}
                            end={end === "end"}
                            empty={end === "start" ? "Not worked" : "—"}
                            defaultValue={
                              ranges[i]
                                ? minutesToTime(end === "start" ? ranges[i].startMinute : ranges[i].endMinute)
                                : ""
                            }
                            className="[&_label]:sr-only"
                          />
                        ))}
                      </div>
                    );
                  })}
                </fieldset>
              );
            })}
            <SubmitButton>Save hours</SubmitButton>
          </ActionForm>
        </Card>
        <div className="space-y-6">
          <Card title="Details">
            <ActionForm action={updatePractitioner}>
              <input type="hidden" name="id" value={practitioner.id} />
              <Field name="name" label="Name" defaultValue={practitioner.name} required />
              <Field
                name="email"
                label="Email (optional)"
                type="email"
                hint="The address they sign in with, if they have an account: the calendar opens on their column for them."
                defaultValue={practitioner.email ?? ""}
              />
              <CheckboxField name="active" label="Bookable online" defaultChecked={practitioner.active} />
              <SubmitButton>Save details</SubmitButton>
            </ActionForm>
          </Card>
          <Card title="Time off">
            <ul className="mb-4 divide-y divide-stone-100">
              {timeOff.length === 0 ? <li className="py-2 text-sm text-stone-500">None planned.</li> : null}
              {timeOff.map((t) => (
                <li key={t.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <span>
                    {formatClinicDateTimeRange(t.startsAt, t.endsAt, member.clinic)}
                    {t.reason ? <span className="text-stone-500"> · {t.reason}</span> : null}
                  </span>
                  <ActionForm action={removeTimeOff} className="inline">
                    <input type="hidden" name="id" value={t.id} />
                    <SubmitButton variant="danger">Remove</SubmitButton>
                  </ActionForm>
                </li>
              ))}
            </ul>
            <ActionForm action={addTimeOff}>
              <input type="hidden" name="practitionerId" value={practitioner.id} />
              <div className="grid grid-cols-2 gap-3">
                <DatePickerField name="startsDate" label="From" locale={member.clinic.locale} today={today} />
                <TimeSelectField name="startsTime" label="Start time" defaultValue="00:00" />
                <DatePickerField name="endsDate" label="Until" locale={member.clinic.locale} today={today} />
                <TimeSelectField name="endsTime" label="End time" defaultValue="24:00" end />
              </div>
              <Field name="reason" label="Reason (optional)" />
              <SubmitButton variant="secondary">Add time off</SubmitButton>
            </ActionForm>
          </Card>
        </div>
      </div>
    </TimeOptionsProvider>
  );
}
