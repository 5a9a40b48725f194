import Link from "next/link";
import { notFound } from "next/navigation";
import { MoveTimes } from "@/app/_ui/move-times";
import { requireMember } from "@/lib/auth/session";
import { loadBookingChoices } from "@/lib/booking/booking-page";
import { clinicMoveRefusal } from "@/lib/booking/rules";
import { localDateOf } from "@/lib/booking/wall-clock";
import { getAppointment } from "@/lib/clinic/appointments";
import { NotFoundError } from "@/lib/clinic/errors";
import { formatClinicLongDate, formatClinicTime } from "@/lib/format/clinic-time";
import { moveAppointment } from "../../../../actions";
import { Card, PageHeader } from "../../../../page-header";

export const metadata = { title: "Move appointment" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * The front desk moves an appointment (a client called): the same month of free days and
 * free times as a phone booking, for the same treatment and practitioner, opening on the
 * appointment's own day. The client is emailed the new time, and the reminder moves.
 */
export default async function MoveAppointmentPage({ params, searchParams }: Props) {
  const member = await requireMember();
  const { id } = await params;
  const { booking, service, practitioner, client } = await getAppointment(member, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  const now = new Date();
  const refusal = clinicMoveRefusal(booking, now);
  const search = await searchParams;
  const page = !refusal
    ? await loadBookingChoices(
        member.clinic,
        {
          service: booking.serviceId,
          practitioner: booking.practitionerId,
          date: search.date ?? (search.month ? undefined : localDateOf(booking.startsAt, clock.timeZone)),
          month: search.month,
        },
        now,
        { moving: booking },
      )
    : undefined;
  const href = (query: { date?: string; month?: string }) =>
    `/dashboard/bookings/${booking.id}/move?${new URLSearchParams(query as Record<string, string>)}#times`;
  const problem = page ? Object.values(page.errors)[0] : undefined;

  return (
    <>
      <PageHeader
        title={`Move ${client.name}'s appointment`}
        description={`${service.name} with ${practitioner.name}, now on ${formatClinicLongDate(booking.startsAt, clock)} at ${formatClinicTime(booking.startsAt, clock)}. The client is emailed the new time.`}
      >
        <Link href="/dashboard" className="text-sm text-brand-700 underline">
          Keep this time
        </Link>
      </PageHeader>
      {!page ? (
        <Card>
          <p role="status" className="text-sm text-stone-600">
            {refusal}
          </p>
        </Card>
      ) : problem || !page.calendar ? (
        <p role="alert" className="text-sm text-red-700">
          {problem ?? `${practitioner.name} no longer offers ${service.name}, so it has no times to move to.`}
        </p>
      ) : (
        <Card>
          <MoveTimes
            page={{ ...page, calendar: page.calendar }}
            currentStart={booking.startsAt}
            clock={clock}
            href={href}
            action={moveAppointment}
            fields={{ bookingId: booking.id }}
          />
        </Card>
      )}
    </>
  );
}
