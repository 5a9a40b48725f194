import Link from "next/link";
import { ActionForm, Field, SubmitButton } from "@/app/_ui/form";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import { formatMoney } from "@/lib/billing/money";
import type { CalendarEntry } from "@/lib/calendar/load-calendar";
import { clinicMoveRefusal } from "@/lib/booking/rules";
import { NOTE_MAX } from "@/lib/clinic/form-fields";
import { formatClinicTimeRange, type ClinicClock } from "@/lib/format/clinic-time";
import { setAppointmentStatus } from "../../actions";

const STATUS_TONE = { confirmed: "brand", completed: "neutral", no_show: "warning", cancelled: "danger" } as const;

export function StatusBadge({ status }: { status: CalendarEntry["booking"]["status"] }) {
  return (
    <Badge tone={STATUS_TONE[status]} className={status === "cancelled" ? "line-through" : undefined}>
      {status.replace("_", "-")}
    </Badge>
  );
}

/** What the client wrote when booking, lines kept; nothing when they wrote nothing. */
export function ClientNote({ note, className }: { note: string | null; className?: string }) {
  if (!note) return null;
  return (
    <p className={cn("break-words whitespace-pre-line", className)}>
      <span className="font-medium">Client&apos;s note:</span> {note}
    </p>
  );
}

function StatusForm({ bookingId, status, label }: { bookingId: string; status: string; label: string }) {
  return (
    <ActionForm action={setAppointmentStatus} className="inline">
      <input type="hidden" name="bookingId" value={bookingId} />
      <input type="hidden" name="status" value={status} />
      <SubmitButton variant="secondary">{label}</SubmitButton>
    </ActionForm>
  );
}

/** To the move page (a client called): shown where clinicMoveRefusal has nothing to say. */
export function MoveLink({ bookingId }: { bookingId: string }) {
  return (
    <Link
      href={`/dashboard/bookings/${bookingId}/move`}
      className="inline-flex rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2"
    >
      Move…
    </Link>
  );
}

/**
 * Cancelling emails the client and frees the slot for good, so it takes a second click:
 * "Cancel…" opens the form (a <details>, so it works without JavaScript), which says the
 * client will be told and takes an optional message for them, shown in their email.
 */
export function CancelForm({ bookingId }: { bookingId: string }) {
  return (
    <details className="group open:basis-full">
      <summary className="inline-flex cursor-pointer list-none rounded-md border border-red-200 bg-white px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 group-open:bg-red-50 [&::-webkit-details-marker]:hidden">
        Cancel…
      </summary>
      <ActionForm
        action={setAppointmentStatus}
        className="mt-2 space-y-3 rounded-md border border-red-100 bg-red-50/40 p-3"
      >
        <input type="hidden" name="bookingId" value={bookingId} />
        <input type="hidden" name="status" value="cancelled" />
        <p className="text-sm text-stone-700">
          The client will be emailed that the clinic cancelled, with your message if you write one. The time becomes
          free to book.
        </p>
        <Field name="reason" label="Message to the client (optional)" maxLength={NOTE_MAX} />
        <SubmitButton variant="danger">Cancel appointment</SubmitButton>
      </ActionForm>
    </details>
  );
}

/** One appointment with what the front desk can do to it: completed and no-show once it has started. */
export function AppointmentCard({ entry, clock, now }: { entry: CalendarEntry; clock: ClinicClock; now: Date }) {
  const { booking, client, service } = entry;
  const started = booking.startsAt <= now;
  return (
    <li className="flex flex-col gap-2 py-3" data-testid="appointment">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <p className="text-sm font-medium">{formatClinicTimeRange(booking.startsAt, booking.endsAt, clock)}</p>
        <StatusBadge status={booking.status} />
      </div>
      <div className="min-w-0 text-sm">
        <p className="font-medium">
          <Link href={`/dashboard/clients/${booking.clientId}`} className="hover:underline">
            {client.name}
          </Link>
        </p>
        <p className="break-words text-stone-500">
          {service.name} · {formatMoney(booking.priceMinor, booking.currency)} · {client.email}
          {client.phone ? ` · ${client.phone}` : ""}
        </p>
        <ClientNote note={booking.clientNote} className="mt-1 text-stone-700" />
      </div>
      {booking.status === "confirmed" ? (
        <div className="flex flex-wrap gap-2">
          {started ? <StatusForm bookingId={booking.id} status="completed" label="Completed" /> : null}
          {started ? <StatusForm bookingId={booking.id} status="no_show" label="No-show" /> : null}
          {clinicMoveRefusal(booking, now) ? null : <MoveLink bookingId={booking.id} />}
          <CancelForm bookingId={booking.id} />
        </div>
      ) : null}
    </li>
  );
}

/**
 * One appointment of "Coming up" as a line: time, client and treatment, practitioner,
 * status. The day is the list's heading.
 */
export function UpcomingRow({
  entry,
  clock,
  practitioner,
}: {
  entry: CalendarEntry;
  clock: ClinicClock;
  practitioner: string;
}) {
  const { booking, client, service } = entry;
  return (
    <li className="flex flex-col gap-x-4 py-2 text-sm sm:flex-row" data-testid="appointment">
      <span className="shrink-0 pt-1 font-medium tabular-nums sm:w-24 sm:py-1">
        {formatClinicTimeRange(booking.startsAt, booking.endsAt, clock)}
      </span>
      <div className="flex min-w-0 flex-1 flex-wrap items-center gap-x-3 gap-y-1">
        <p className="w-full py-1 break-words sm:w-auto sm:min-w-48 sm:flex-1">
          <Link href={`/dashboard/clients/${booking.clientId}`} className="font-medium hover:underline">
            {client.name}
          </Link>
          <span className="text-stone-500">
            {" "}
            · {service.name} · {formatMoney(booking.priceMinor, booking.currency)} · {client.email}
            {client.phone ? ` · ${client.phone}` : ""}
          </span>
        </p>
        <span className="text-stone-500">{practitioner}</span>
        <StatusBadge status={booking.status} />
        {booking.status === "confirmed" ? (
          <>
            <MoveLink bookingId={booking.id} />
            <CancelForm bookingId={booking.id} />
          </>
        ) : null}
        <ClientNote note={booking.clientNote} className="basis-full text-stone-700" />
      </div>
    </li>
  );
}
