import { CopyField } from "@/app/_ui/copy-field";
import { ActionForm, Field, SelectField, SubmitButton, TextareaField } from "@/app/_ui/form";
import { bookingEmbedHtml, bookingPageUrl } from "@/lib/booking/booking-links";
import { ADDRESS_MAX, CLINIC_PHONE_MAX, NAME_MAX } from "@/lib/clinic/form-fields";
import { currencyOptions, localeOptions, timeZoneOptions } from "@/lib/clinic/region";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { updateClinicSettings } from "../../actions";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { clinic } = await requireMember({ roles: MANAGER_ROLES });
  return (
    <>
      <PageHeader title="Clinic settings" description={`Your booking page: /book/${clinic.slug}`} />
      <Card>
        <ActionForm action={updateClinicSettings} className="max-w-lg space-y-4">
          <Field name="name" label="Clinic name" defaultValue={clinic.name} maxLength={NAME_MAX} required />
          <SelectField
            name="timeZone"
            label="Time zone (working hours and bookings are read in it)"
            options={timeZoneOptions(clinic.timeZone)}
            defaultValue={clinic.timeZone}
          />
          <SelectField
            name="currency"
            label="Currency (prices keep their amounts: 45.00 GBP becomes 45.00 EUR)"
            options={currencyOptions(clinic.currency)}
            defaultValue={clinic.currency}
          />
          <SelectField
            name="locale"
            label="Dates and times (on the booking page, the dashboard and in emails)"
            options={localeOptions(clinic.locale)}
            defaultValue={clinic.locale}
          />
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
          <Field
            name="phone"
            label="Phone (optional)"
            type="tel"
            autoComplete="tel"
            defaultValue={clinic.phone ?? ""}
            maxLength={CLINIC_PHONE_MAX}
            hint="Shown on your booking page and in booking emails, so clients can call you."
          />
          <TextareaField
            name="address"
            label="Address (optional)"
            rows={3}
            autoComplete="street-address"
            defaultValue={clinic.address ?? ""}
            maxLength={ADDRESS_MAX}
            hint="Shown on your booking page and in booking emails."
          />
          <SubmitButton>Save settings</SubmitButton>
        </ActionForm>
      </Card>
      <div className="mt-6">
        <Card title="Your booking page">
          <div className="max-w-xl space-y-4">
            <CopyField label="Link to share" value={bookingPageUrl(clinic.slug)} />
            <CopyField
              label="To show it on your own website, paste this into a page"
              value={bookingEmbedHtml(clinic)}
            />
          </div>
        </Card>
      </div>
    </>
  );
}
