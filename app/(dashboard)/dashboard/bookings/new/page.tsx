import Link from "next/link";
import { z } from "zod";
import { controlClass } from "@/app/_ui/control-class";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { SlotPicker } from "@/app/_ui/slot-picker";
import { requireMember } from "@/lib/auth/session";
import { formatMoney } from "@/lib/billing/money";
import { findFreeSlots } from "@/lib/booking/availability";
import { bookingCatalog } from "@/lib/booking/public-clinic";
import { BOOKING_HORIZON_DAYS } from "@/lib/booking/rules";
import { addDays, localDateOf, parseLocalDate } from "@/lib/booking/wall-clock";
import { NotFoundError } from "@/lib/clinic/errors";
import { EMAIL_MAX, NAME_MAX } from "@/lib/clinic/form-fields";
import { formatLocalDate } from "@/lib/format/clinic-time";
import { createPhoneBooking } from "../../../actions";
import { Card, PageHeader } from "../../../page-header";

export const metadata = { title: "New booking" };

// Its server action kicks the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 30;

const query = z.object({
  practitioner: z.uuid().optional().catch(undefined),
  service: z.uuid().optional().catch(undefined),
  date: z
    .string()
    .refine((value) => parseLocalDate(value) !== null)
    .optional()
    .catch(undefined),
});

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * A booking taken by phone: practitioner, treatment and day (a plain GET form, so the
 * week view's links land here with them filled in), then a free time and the client's
 * details, booked through the same createBooking as the public page.
 */
export default async function NewBookingPage({ searchParams }: { searchParams: SearchParams }) {
  const member = await requireMember();
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  const today = localDateOf(new Date(), clock.timeZone);
  const raw = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
  const selection = query.parse({
    practitioner: first(raw.practitioner),
    service: first(raw.service),
    date: first(raw.date),
  });
  const date = selection.date ?? today;
  const catalog = await bookingCatalog(member.clinic.id, selection.service);
  const practitioner = catalog.practitioners.find((p) => p.id === selection.practitioner) ?? catalog.practitioners[0];
  const service = catalog.treatments.find((t) => t.id === selection.service);

  let slots: { start: string }[] = [];
  let problem: string | undefined;
  if (date < today || date > addDays(today, BOOKING_HORIZON_DAYS)) {
    problem = `Choose a day between today and ${BOOKING_HORIZON_DAYS} days ahead.`;
  } else if (service && practitioner) {
    try {
      ({ slots } = await findFreeSlots(member.clinic, {
        serviceId: service.id,
        practitionerId: practitioner.id,
        date,
      }));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      problem = `${error.message}; choose again.`;
    }
  }

  return (
    <>
      <PageHeader
        title="New booking"
        description="A booking taken by phone or at the desk. The client gets the same confirmation email as online."
      />
      {catalog.practitioners.length === 0 || catalog.treatments.length === 0 ? (
        <Card>
          <p className="text-sm text-stone-600">
            Add a treatment and a practitioner with working hours first.{" "}
            <Link href="/dashboard/treatments" className="text-brand-700 underline">
              Treatments
            </Link>
          </p>
        </Card>
      ) : (
        <div className="space-y-6">
          <Card>
            <form method="get" className="grid gap-4 sm:grid-cols-4 sm:items-end">
              <div>
                <label htmlFor="practitioner" className="block text-sm font-medium text-stone-700">
                  Practitioner
                </label>
                <select id="practitioner" name="practitioner" defaultValue={practitioner?.id} className={controlClass}>
                  {catalog.practitioners.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="service" className="block text-sm font-medium text-stone-700">
                  Treatment
                </label>
                <select id="service" name="service" defaultValue={service?.id ?? ""} className={controlClass}>
                  <option value="" disabled>
                    Choose a treatment
                  </option>
                  {catalog.treatments.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name} · {t.durationMinutes} min · {formatMoney(t.priceMinor, member.clinic.currency)}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="date" className="block text-sm font-medium text-stone-700">
                  Day
                </label>
                <input id="date" name="date" type="date" defaultValue={date} min={today} className={controlClass} />
              </div>
              <button
                type="submit"
                className="rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium hover:bg-stone-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
              >
                Show free times
              </button>
            </form>
          </Card>
          {problem ? (
            <p role="alert" className="text-sm text-red-700">
              {problem}
            </p>
          ) : service && practitioner ? (
            <Card title={`${practitioner.name}, ${formatLocalDate(date, clock.locale)}`}>
              {slots.length === 0 ? (
                <p className="text-sm text-stone-600">No free times for {service.name} that day.</p>
              ) : (
                <ActionForm action={createPhoneBooking} className="space-y-6">
                  <input type="hidden" name="serviceId" value={service.id} />
                  <input type="hidden" name="practitionerId" value={practitioner.id} />
                  <SlotPicker legend="Time" slots={slots} clock={clock} />
                  <div className="grid gap-4 sm:grid-cols-3">
                    <Field name="name" label="Client name" autoComplete="off" maxLength={NAME_MAX} />
                    <Field name="email" label="Client email" type="email" autoComplete="off" maxLength={EMAIL_MAX} />
                    <Field name="phone" label="Phone (optional)" type="tel" autoComplete="off" maxLength={20} />
                  </div>
                  <SubmitButton>Book for the client</SubmitButton>
                </ActionForm>
              )}
            </Card>
          ) : null}
        </div>
      )}
    </>
  );
}
