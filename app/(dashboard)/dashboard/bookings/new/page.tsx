import Link from "next/link";
import { controlClass } from "@/app/_ui/control-class";
import { MonthCalendarView } from "@/app/_ui/month-calendar";
import { ActionForm, Field, SubmitButton, TextareaField } from "@/app/_ui/form";
import { SlotPicker } from "@/app/_ui/slot-picker";
import { requireMember } from "@/lib/auth/session";
import { formatMoney } from "@/lib/billing/money";
import { loadBookingChoices } from "@/lib/booking/booking-page";
import { findClient } from "@/lib/clinic/clients";
import { CLIENT_PHONE_MAX, EMAIL_MAX, NAME_MAX, NOTE_MAX } from "@/lib/clinic/form-fields";
import { formatLocalDate } from "@/lib/format/clinic-time";
import { createPhoneBooking } from "../../../actions";
import { Card, PageHeader } from "../../../page-header";

export const metadata = { title: "New booking" };

// Its server action kicks the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 300;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * A booking taken by phone: practitioner and treatment (a plain GET form, so the week
 * view's links land here with the practitioner and day filled in), then a day from the
 * month of free days and a free time, and the client's details, booked through the same
 * createBooking as the public page.
 */
export default async function NewBookingPage({ searchParams }: { searchParams: SearchParams }) {
  const member = await requireMember();
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  const search = await searchParams;
  // `?client=<id>`, from a client's page: their details filled in (another clinic's id fills nothing).
  const [page, client] = await Promise.all([
    loadBookingChoices(member.clinic, search, new Date(), { onePractitioner: true }),
    findClient(member, search.client),
  ]);
  const { catalog, selection, calendar, slots, nextFreeDate, errors } = page;
  const practitioner = catalog.practitioners.find((p) => p.id === selection.practitioner);
  const service = catalog.treatments.find((t) => t.id === selection.service);
  const problem = Object.values(errors)[0];
  const href = (params: { date?: string; month?: string }) => {
    const query = new URLSearchParams({ practitioner: selection.practitioner, service: selection.service ?? "" });
    if (client) query.set("client", client.id);
    if (params.date) query.set("date", params.date);
    if (params.month) query.set("month", params.month);
    return `/dashboard/bookings/new?${query}#times`;
  };

  return (
    <>
      <PageHeader
        title={client ? `New booking for ${client.name}` : "New booking"}
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
            <form method="get" className="grid gap-4 sm:grid-cols-3 sm:items-end">
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
              <input type="hidden" name="date" value={selection.date} />
              {client ? <input type="hidden" name="client" value={client.id} /> : null}
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
          ) : service && practitioner && calendar ? (
            <Card title={`${practitioner.name}, ${service.name}`}>
              <div id="times" className="grid gap-8 lg:grid-cols-[20rem_1fr]">
                <MonthCalendarView calendar={calendar} selected={selection.date} href={href} locale={clock.locale} />
                <div aria-live="polite">
                  <h2 className="text-base font-semibold">
                    Free times on {formatLocalDate(selection.date, clock.locale)}
                  </h2>
                  {slots.length === 0 ? (
                    <p className="mt-2 text-sm text-stone-600">
                      No free times for {service.name} that day.{" "}
                      {nextFreeDate ? (
                        <Link href={href({ date: nextFreeDate })} className="font-medium text-brand-700 underline">
                          Next free day: {formatLocalDate(nextFreeDate, clock.locale)}
                        </Link>
                      ) : null}
                    </p>
                  ) : (
                    <ActionForm action={createPhoneBooking} className="mt-4 space-y-6">
                      <input type="hidden" name="serviceId" value={service.id} />
                      <input type="hidden" name="practitionerId" value={practitioner.id} />
                      <SlotPicker legend="Time" slots={slots} clock={clock} showZoneNames={page.showZoneNames} />
                      <div className="grid gap-4 sm:grid-cols-2">
                        <Field
                          name="name"
                          label="Client name"
                          autoComplete="off"
                          defaultValue={client?.name}
                          maxLength={NAME_MAX}
                        />
                        <Field
                          name="email"
                          label="Client email"
                          type="email"
                          autoComplete="off"
                          defaultValue={client?.email}
                          maxLength={EMAIL_MAX}
                        />
                        <Field
                          name="phone"
                          label="Phone (optional)"
                          type="tel"
                          autoComplete="off"
                          defaultValue={client?.phone ?? undefined}
                          maxLength={CLIENT_PHONE_MAX}
                        />
                      </div>
                      <TextareaField
                        name="note"
                        label="Note (optional)"
                        rows={2}
                        maxLength={NOTE_MAX}
                        hint="What the client said, for the practitioner: shown with the appointment."
                      />
                      <SubmitButton>Book for the client</SubmitButton>
                    </ActionForm>
                  )}
                </div>
              </div>
            </Card>
          ) : null}
        </div>
      )}
    </>
  );
}
