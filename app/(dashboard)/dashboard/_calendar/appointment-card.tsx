import Link from "next/link";
import { ActionForm, SubmitButton } from "@/app/_ui/form";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import { formatMoney } from "@/lib/billing/money";
import type { CalendarEntry } from "@/lib/calendar/load-calendar";
import { formatClinicDate, formatClinicTimeRange, type ClinicClock } from "@/lib/format/clinic-time";
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
      <SubmitButton variant={status === "cancelled" ? "danger" : "secondary"}>{label}</SubmitButton>
    </ActionForm>
  );
}

/** One appointment with what the front desk can do to it: completed and no-show once it has started. */
export function AppointmentCard({
  entry,
  clock,
  now,
  showDate = false,
  practitioner,
}: {
  entry: CalendarEntry;
  clock: ClinicClock;
  now: Date;
  showDate?: boolean;
  practitioner?: string;
}) {
  const { booking, client, service } = entry;
  const started = booking.startsAt <= now;
  return (
    <li className="flex flex-col gap-2 py-3" data-testid="appointment">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <p className="text-sm font-medium">
          {showDate ? `${formatClinicDate(booking.startsAt, clock)} · ` : ""}
          {formatClinicTimeRange(booking.startsAt, booking.endsAt, clock)}
          {practitioner ? <span className="font-normal text-stone-500"> · {practitioner}</span> : null}
        </p>
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
          <StatusForm bookingId={booking.id} status="cancelled" label="Cancel" />
        </div>
      ) : null}
    </li>
  );
}
