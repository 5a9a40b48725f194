import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadBookingPage } from "@/lib/booking/booking-page";
import { ANY_PRACTITIONER } from "@/lib/booking/availability";
import { NotFoundError } from "@/lib/clinic/errors";
import { formatMoney } from "@/lib/billing/money";
import { formatLocalDate } from "@/lib/format/clinic-time";
import { controlClass } from "@/app/_ui/control-class";
import { SubmitOnChange } from "@/app/_ui/submit-on-change";
import { BookingForm } from "./booking-form";
import { ClinicContact } from "./clinic-contact";
import { MonthCalendarView } from "@/app/_ui/month-calendar";

type Props = {
  params: Promise<{ clinic: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// Its server actions kick the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 300;

export const metadata: Metadata = { title: "Book an appointment" };

export default async function BookingPage({ params, searchParams }: Props) {
  const { clinic: slug } = await params;
  const page = await loadBookingPage(slug, await searchParams).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const { clinic, catalog, selection, slots, errors, calendar, nextFreeDate } = page;
  const service = catalog.treatments.find((t) => t.id === selection.service);
  const href = (params: { date?: string; month?: string }) => {
    const query = new URLSearchParams({ service: selection.service ?? "", practitioner: selection.practitioner });
    if (params.date) query.set("date", params.date);
    if (params.month) query.set("month", params.month);
    return `/book/${clinic.slug}?${query}#times`;
  };

  return (
    <main className="mx-auto max-w-5xl px-4 py-12 sm:px-6">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{clinic.name}</p>
      <ClinicContact clinic={clinic} />
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Book an appointment</h1>
      <p className="mt-2 text-sm text-stone-600">Times are shown in the clinic&apos;s time zone ({clinic.timeZone}).</p>

      {/* Step 1 is a plain GET form: the choice lives in the URL and works without JavaScript. */}
      <form
        method="get"
        className="mt-8 grid gap-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm sm:grid-cols-3"
      >
        <SubmitOnChange />
        <div className="sm:col-span-3">
          <label htmlFor="service" className="block text-sm font-medium text-stone-700">
            Treatment
          </label>
          <select
            id="service"
            name="service"
            defaultValue={selection.service ?? ""}
            className={controlClass}
            aria-invalid={errors.service ? true : undefined}
          >
            <option value="" disabled>
              Choose a treatment
            </option>
            {catalog.treatments.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} · {t.durationMinutes} min · {formatMoney(t.priceMinor, clinic.currency)}
              </option>
            ))}
          </select>
          {errors.service ? <p className="mt-1 text-sm text-red-700">{errors.service}</p> : null}
        </div>
        <div className="sm:col-span-3">
          <label htmlFor="practitioner" className="block text-sm font-medium text-stone-700">
            Practitioner
          </label>
          <select id="practitioner" name="practitioner" defaultValue={selection.practitioner} className={controlClass}>
            <option value={ANY_PRACTITIONER}>Any practitioner</option>
            {catalog.practitioners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {errors.practitioner ? <p className="mt-1 text-sm text-red-700">{errors.practitioner}</p> : null}
        </div>
        <div className="sm:col-span-3">
          <button
            type="submit"
            className="rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium hover:bg-stone-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          >
            Show free days
          </button>
        </div>
      </form>

      {errors.date || errors.month ? (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {errors.date ?? errors.month}
        </p>
      ) : null}

      {service && calendar ? (
        <section
          id="times"
          className="mt-8 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
          aria-labelledby="treatment-heading"
        >
          <h2 id="treatment-heading" className="text-lg font-semibold">
            {service.name}
          </h2>
          <p className="mt-1 text-sm text-stone-600">
            {service.durationMinutes} minutes · {formatMoney(service.priceMinor, clinic.currency)}
          </p>
          {service.description ? <p className="mt-2 text-sm text-stone-700">{service.description}</p> : null}
          <div className="mt-6 grid gap-8 lg:grid-cols-[20rem_1fr]">
            <MonthCalendarView calendar={calendar} selected={selection.date} href={href} locale={clinic.locale} />
            <div aria-live="polite">
              <h3 id="slots-heading" className="text-base font-semibold">
                Free times on {formatLocalDate(selection.date, clinic.locale)}
              </h3>
              {slots.length === 0 ? (
                <p className="mt-2 text-sm text-stone-600">
                  No free times that day.{" "}
                  {nextFreeDate ? (
                    <a href={href({ date: nextFreeDate })} className="font-medium text-brand-700 underline">
                      Next free day: {formatLocalDate(nextFreeDate, clinic.locale)}
                    </a>
                  ) : (
                    "No free times in the next weeks; try another practitioner."
                  )}
                </p>
              ) : (
                <div className="mt-4">
                  <BookingForm
                    key={`${service.id}-${selection.practitioner}-${selection.date}`}
                    clinicSlug={clinic.slug}
                    serviceId={service.id}
                    practitionerId={selection.practitioner}
                    timeZone={clinic.timeZone}
                    locale={clinic.locale}
                    showZoneNames={page.showZoneNames}
                    slots={slots}
                  />
                </div>
              )}
            </div>
          </div>
        </section>
      ) : null}
    </main>
  );
}
