import Link from "next/link";
import { Table, TableBody, TableHead, TableHeader, TableRow, TableCell } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import type { loadCalendar } from "@/lib/calendar/load-calendar";
import { calendarHref } from "@/lib/calendar/range";
import { formatClinicTimeRange, formatLocalDate, type ClinicClock } from "@/lib/format/clinic-time";
import { StatusBadge } from "./appointment-card";

type Calendar = Awaited<ReturnType<typeof loadCalendar>>;

/**
 * Seven days down, a column per practitioner across. On a phone the table scrolls
 * sideways inside its own box, so the page itself never gets wider than the screen.
 */
export function WeekView({
  calendar,
  days,
  today,
  clock,
}: {
  calendar: Calendar;
  days: string[];
  today: string;
  clock: ClinicClock;
}) {
  if (calendar.practitioners.length === 0) {
    return <p className="text-sm text-stone-600">Add a practitioner to see their appointments here.</p>;
  }
  return (
    <div className="rounded-xl border border-stone-200 bg-white px-4 shadow-sm" data-testid="week-view">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead className="w-28">Day</TableHead>
            {calendar.practitioners.map((practitioner) => (
              <TableHead key={practitioner.id} className="min-w-44">
                {practitioner.name}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {days.map((date) => (
            <TableRow key={date} className={cn(date === today && "bg-brand-50/60")}>
              <th scope="row" className="py-3 pr-4 font-medium whitespace-nowrap">
                <Link href={calendarHref("day", date, calendar.chosen?.id)} className="hover:underline">
                  {formatLocalDate(date, clock.locale, "short")}
                </Link>
                {date === today ? <span className="block text-xs font-normal text-brand-700">Today</span> : null}
              </th>
              {calendar.practitioners.map((practitioner) => (
                <TableCell key={practitioner.id}>
                  <ul className="space-y-2">
                    {calendar.entriesFor(date, practitioner.id).map(({ booking, client, service }) => (
                      <li
                        key={booking.id}
                        className={cn(
                          "rounded-md border-l-4 bg-stone-50 px-2 py-1",
                          booking.status === "cancelled" ? "border-red-300 text-stone-500" : "border-brand-500",
                        )}
                        data-testid="week-appointment"
                      >
                        <p className="text-xs font-medium">
                          {formatClinicTimeRange(booking.startsAt, booking.endsAt, clock)}
                        </p>
                        <p className="text-sm">{client.name}</p>
                        <p className="text-xs text-stone-500">{service.name}</p>
                        {booking.status !== "confirmed" ? <StatusBadge status={booking.status} /> : null}
                      </li>
                    ))}
                  </ul>
                  {practitioner.active && date >= today ? (
                    <NewBookingLink practitioner={practitioner} date={date} locale={clock.locale} />
                  ) : null}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** "+ Book": a phone booking for this practitioner and day (dashboard/bookings/new). */
export function NewBookingLink({
  practitioner,
  date,
  locale,
}: {
  practitioner: { id: string; name: string };
  date: string;
  locale: string;
}) {
  return (
    <Link
      href={`/dashboard/bookings/new?${new URLSearchParams({ practitioner: practitioner.id, date })}`}
      // relative: its sr-only words stay inside the week table, which scrolls in its own box on a phone.
      className="relative mt-2 inline-block rounded text-xs font-medium text-brand-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
    >
      + Book
      <span className="sr-only">
        {" "}
        with {practitioner.name} on {formatLocalDate(date, locale)}
      </span>
    </Link>
  );
}
