import type { Metadata } from "next";
import Link from "next/link";
import { bookingManagePath } from "@/lib/booking/booking-links";
import { notFound } from "next/navigation";
import { MoveTimes } from "@/app/_ui/move-times";
import { loadBookingPage } from "@/lib/booking/booking-page";
import { clientCancelDeadline, findBookingByToken } from "@/lib/booking/cancel-booking";
import { formatClinicLongDate, formatClinicTime } from "@/lib/format/clinic-time";
import { rescheduleAction } from "../../../actions";

// Its server action kicks the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 300;

export const metadata: Metadata = { title: "Move your appointment", robots: { index: false } };

type Props = {
  params: Promise<{ clinic: string; token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The client's link, second page: the same month calendar as booking, for the same treatment and practitioner. */
export default async function ReschedulePage({ params, searchParams }: Props) {
  const { clinic: slug, token } = await params;
  const found = await findBookingByToken(token);
  if (!found || found.clinic.slug !== slug) notFound();
  const { booking, clinic, service, practitioner } = found;
  const clock = { timeZone: clinic.timeZone, locale: clinic.locale };
  const manage = bookingManagePath(slug, token);
  const movable =
    booking.status === "confirmed" && new Date() <= clientCancelDeadline(booking, clinic.cancellationNoticeHours);
  const search = await searchParams;
  const page = movable
    ? await loadBookingPage(
        slug,
        { service: booking.serviceId, practitioner: booking.practitionerId, date: search.date, month: search.month },
        new Date(),
        { moving: booking },
      )
    : undefined;
  const href = (query: { date?: string; month?: string }) =>
    `${manage}/reschedule?${new URLSearchParams(query as Record<string, string>)}#times`;

  return (
    <main className="mx-auto max-w-5xl px-4 py-12 sm:px-6">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{clinic.name}</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Move your appointment</h1>
      <p className="mt-2 text-stone-600">
        {service.name} with {practitioner.name}, now on {formatClinicLongDate(booking.startsAt, clock)} at{" "}
        {formatClinicTime(booking.startsAt, clock, { withZone: true })}.
      </p>
      {!page ? (
        <p role="status" className="mt-6 text-sm text-stone-600">
          This appointment can no longer be moved online.{" "}
          <Link href={manage} className="font-medium text-brand-700 underline">
            Back to your appointment
          </Link>
        </p>
      ) : page.calendar ? (
        <section className="mt-8 rounded-xl border border-stone-200 bg-white p-6 shadow-sm">
          <MoveTimes
            page={{ ...page, calendar: page.calendar }}
            currentStart={booking.startsAt}
            clock={clock}
            href={href}
            action={rescheduleAction}
            fields={{ token }}
          />
        </section>
      ) : (
        <p role="alert" className="mt-6 text-sm text-red-700">
          {Object.values(page.errors)[0] ?? "This treatment can no longer be booked online. Please call the clinic."}
        </p>
      )}
      <p className="mt-6 text-sm">
        <Link href={manage} className="text-stone-600 underline">
          Keep the current time
        </Link>
      </p>
    </main>
  );
}
