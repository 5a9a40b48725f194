import { addressOnOneLine, telHref } from "@/lib/clinic/contact";
import type { Clinic } from "@/lib/db/schema";

/** The clinic's phone, dialled with a tap. */
export function PhoneLink({ phone }: { phone: string }) {
  return (
    <a href={telHref(phone)} className="whitespace-nowrap font-medium text-brand-700 underline">
      {phone}
    </a>
  );
}

/** The small contact line under the clinic's name; nothing when it has neither phone nor address. */
export function ClinicContact({ clinic }: { clinic: Pick<Clinic, "phone" | "address"> }) {
  if (!clinic.phone && !clinic.address) return null;
  return (
    <p className="mt-1 text-sm text-stone-600" data-testid="clinic-contact">
      {clinic.phone ? <PhoneLink phone={clinic.phone} /> : null}
      {clinic.phone && clinic.address ? " · " : null}
      {clinic.address ? <span>{addressOnOneLine(clinic.address)}</span> : null}
    </p>
  );
}
