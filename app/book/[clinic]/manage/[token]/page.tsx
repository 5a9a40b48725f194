import type { Metadata } from "next";
import Link from "next/link";
import { bookingManagePath } from "@/lib/booking/booking-links";
import { notFound } from "next/navigation";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { Button } from "@/components/ui/button";
import { bookingPagePath } from "@/lib/booking/booking-links";
import { clientCancelDeadline, findBookingByToken } from "@/lib/booking/cancel-booking";
import { formatClinicLongDate, formatClinicTime } from "@/lib/format/clinic-time";
import { NOTE_MAX } from "@/lib/clinic/form-fields";
import { formatMoney } from "@/lib/billing/money";
import { addressOnOneLine } from "@/lib/clinic/contact";
import { cancelAction } from "../../actions";
import { PhoneLink } from "../../clinic-contact";

// Its server actions kick the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 300;

export const metadata: Metadata = { title: "Your appointment", robots: { index: false } };

type Props = {
  params: Promise<{ clinic: string; token: string }>;
  searchParams: Promise<{ booked?: string; moved?: string }>;
};

export default async function ManageBookingPage({ params, searchParams }: Props) {
  const { clinic: slug, token } = await params;
  const { booked, moved } = await searchParams;
  const found = await findBookingByToken(token);
  if (!found || found.clinic.slug !== slug) notFound();
  const { booking, clinic, service, practitioner, client } = found;
  const clock = { timeZone: clinic.timeZone, locale: clinic.locale };
  const deadline = clientCancelDeadline(booking, clinic.cancellationNoticeHours);
  const canCancel = booking.status === "confirmed" && new Date() <= deadline;

  return (
    <main className="mx-auto max-w-xl px-6 py-12">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{clinic.name}</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">
        {booking.status === "cancelled" ? "Appointment cancelled" : booked ? "You're booked" : "Your appointment"}
      </h1>
      {booked && booking.status === "confirmed" ? (
        <p className="mt-2 text-stone-600">A confirmation is on its way to {client.email}.</p>
      ) : null}
      {moved && booking.status === "confirmed" ? (
        <p role="status" className="mt-2 text-stone-600">
          Your appointment has moved. The new time is on its way to {client.email}.
        </p>
      ) : null}
      {booking.status === "cancelled" ? (
        <p role="status" className="mt-2 text-stone-600">
          This appointment was cancelled{booking.cancelledBy === "clinic" ? " by the clinic" : ""}. You can book a new
          time at any point.
        </p>
      ) : null}
      {booking.status === "cancelled" ? (
        <Button asChild className="mt-4">
          {/* The same treatment, if the clinic still offers it; the page then shows its free times. */}
          <Link href={bookingPagePath(clinic.slug, service.active ? service.id : undefined)}>
            Book again at {clinic.name}
          </Link>
        </Button>
      ) : null}
      <dl className="mt-6 grid grid-cols-[8rem_1fr] gap-2 rounded-xl border border-stone-200 bg-white p-6 text-sm shadow-sm">
        <dt className="text-stone-500">Treatment</dt>
        <dd>{service.name}</dd>
        <dt className="text-stone-500">With</dt>
        <dd>{practitioner.name}</dd>
        <dt className="text-stone-500">When</dt>
        <dd>
          {formatClinicLongDate(booking.startsAt, clock)},{" "}
          {formatClinicTime(booking.startsAt, clock, { withZone: true })}
        </dd>
        {clinic.address ? (
          <>
            <dt className="text-stone-500">Where</dt>
            <dd>{addressOnOneLine(clinic.address)}</dd>
          </>
        ) : null}
        <dt className="text-stone-500">Price</dt>
        <dd>{formatMoney(booking.priceMinor, booking.currency)}</dd>
        <dt className="text-stone-500">Status</dt>
        <dd data-testid="booking-status">{booking.status.replace("_", "-")}</dd>
      </dl>
      {canCancel ? (
        <p className="mt-6">
          <Link
            href={`${bookingManagePath(slug, token)}/reschedule`}
            className="inline-block rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          >
            Move to another time
          </Link>
        </p>
      ) : null}
      {canCancel ? (
        <section className="mt-8">
          <h2 className="text-lg font-semibold">Cancel this appointment</h2>
          <p className="mt-1 text-sm text-stone-600">
            You can cancel online until {formatClinicLongDate(deadline, clock)}, {formatClinicTime(deadline, clock)}.
          </p>
          <ActionForm action={cancelAction} className="mt-4 space-y-4">
            <input type="hidden" name="token" value={token} />
            <Field name="reason" label="Reason (optional)" maxLength={NOTE_MAX} />
            <SubmitButton variant="danger">Cancel appointment</SubmitButton>
          </ActionForm>
        </section>
      ) : booking.status === "confirmed" ? (
        <p className="mt-8 text-sm text-stone-600">
          {clinic.name} asks for {clinic.cancellationNoticeHours} hours&apos; notice, so this appointment can no longer
          be cancelled online.{" "}
          {clinic.phone ? (
            <>
              Please call the clinic on <PhoneLink phone={clinic.phone} />.
            </>
          ) : (
            "Please call the clinic."
          )}
        </p>
      ) : null}
    </main>
  );
}
