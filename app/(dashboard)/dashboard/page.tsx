import { ActionForm, SubmitButton } from "@/app/_ui/form";
import { requireMember } from "@/lib/auth/session";
import { formatMoney } from "@/lib/billing/money";
import { listAppointments } from "@/lib/clinic/appointments";
import { formatDate, formatTime } from "@/lib/booking/wall-clock";
import { setAppointmentStatus } from "../actions";
import { Card, PageHeader } from "../page-header";

export const metadata = { title: "Appointments" };

type Row = Awaited<ReturnType<typeof listAppointments>>["groups"][number]["today"][number];

const STATUS_STYLE: Record<string, string> = {
  confirmed: "bg-brand-50 text-brand-700",
  completed: "bg-stone-100 text-stone-700",
  no_show: "bg-amber-50 text-amber-800",
  cancelled: "bg-red-50 text-red-700 line-through",
};

function StatusForm({
  bookingId,
  status,
  label,
  variant,
}: {
  bookingId: string;
  status: string;
  label: string;
  variant: "secondary" | "danger";
}) {
  return (
    <ActionForm action={setAppointmentStatus} className="inline">
      <input type="hidden" name="bookingId" value={bookingId} />
      <input type="hidden" name="status" value={status} />
      <SubmitButton variant={variant}>{label}</SubmitButton>
    </ActionForm>
  );
}

function Appointment({ row, timeZone, now }: { row: Row; timeZone: string; now: Date }) {
  const { booking } = row;
  const started = booking.startsAt <= now;
  return (
    <li className="flex flex-wrap items-center gap-3 py-3" data-testid="appointment">
      <div className="w-40 text-sm">
        <div className="font-medium">
          {formatTime(booking.startsAt, timeZone)}–{formatTime(booking.endsAt, timeZone)}
        </div>
        <div className="text-stone-500">{formatDate(booking.startsAt, timeZone)}</div>
      </div>
      <div className="min-w-48 flex-1 text-sm">
        <div className="font-medium">{row.client.name}</div>
        <div className="text-stone-500">
          {row.service.name} · {formatMoney(booking.priceMinor, booking.currency)} · {row.client.email}
          {row.client.phone ? ` · ${row.client.phone}` : ""}
        </div>
      </div>
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[booking.status]}`}>
        {booking.status.replace("_", "-")}
      </span>
      {booking.status === "confirmed" ? (
        <div className="flex gap-2">
          {started ? (
            <StatusForm bookingId={booking.id} status="completed" label="Completed" variant="secondary" />
          ) : null}
          {started ? <StatusForm bookingId={booking.id} status="no_show" label="No-show" variant="secondary" /> : null}
          <StatusForm bookingId={booking.id} status="cancelled" label="Cancel" variant="danger" />
        </div>
      ) : null}
    </li>
  );
}

export default async function AppointmentsPage() {
  const member = await requireMember();
  const now = new Date();
  const { groups } = await listAppointments(member, now);
  const zone = member.clinic.timeZone;
  return (
    <>
      <PageHeader title="Appointments" description={`Today and the next two weeks, in ${zone} time.`} />
      {groups.length === 0 ? (
        <Card>
          <p className="text-sm text-stone-600">
            No appointments in the next two weeks. Share your booking page to get some.
          </p>
        </Card>
      ) : null}
      <div className="space-y-6">
        {groups.map((group) => (
          <Card key={group.practitioner.id} title={group.practitioner.name}>
            <h3 className="text-sm font-semibold uppercase tracking-wide text-stone-500">Today</h3>
            {group.today.length ? (
              <ul className="divide-y divide-stone-100">
                {group.today.map((row) => (
                  <Appointment key={row.booking.id} row={row} timeZone={zone} now={now} />
                ))}
              </ul>
            ) : (
              <p className="py-2 text-sm text-stone-500">Nothing today.</p>
            )}
            <h3 className="mt-4 text-sm font-semibold uppercase tracking-wide text-stone-500">Upcoming</h3>
            {group.upcoming.length ? (
              <ul className="divide-y divide-stone-100">
                {group.upcoming.map((row) => (
                  <Appointment key={row.booking.id} row={row} timeZone={zone} now={now} />
                ))}
              </ul>
            ) : (
              <p className="py-2 text-sm text-stone-500">Nothing booked yet.</p>
            )}
          </Card>
        ))}
      </div>
    </>
  );
}
