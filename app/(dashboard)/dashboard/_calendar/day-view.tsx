import type { loadCalendar } from "@/lib/calendar/load-calendar";
import type { ClinicClock } from "@/lib/format/clinic-time";
import { AppointmentCard } from "./appointment-card";
import { NewBookingLink } from "./week-view";

type Calendar = Awaited<ReturnType<typeof loadCalendar>>;

/** One day, a column per practitioner: side by side on wide screens, one under another on phones. */
export function DayView({
  calendar,
  date,
  clock,
  now,
  today,
}: {
  calendar: Calendar;
  date: string;
  clock: ClinicClock;
  now: Date;
  today: string;
}) {
  if (calendar.practitioners.length === 0) {
    return <p className="text-sm text-stone-600">Add a practitioner to see their appointments here.</p>;
  }
  return (
    <div className="grid gap-4 md:grid-cols-[repeat(auto-fit,minmax(16rem,1fr))]" data-testid="day-view">
      {calendar.practitioners.map((practitioner) => {
        const entries = calendar.entriesFor(date, practitioner.id);
        return (
          <section
            key={practitioner.id}
            aria-label={practitioner.name}
            className="min-w-0 rounded-xl border border-stone-200 bg-white px-4 py-3 shadow-sm"
          >
            <h2 className="flex items-baseline justify-between gap-2 border-b border-stone-100 pb-2 font-semibold">
              {practitioner.name}
              <span className="text-xs font-normal text-stone-500">{entries.length} booked</span>
            </h2>
            {entries.length ? (
              <ul className="divide-y divide-stone-100">
                {entries.map((entry) => (
                  <AppointmentCard key={entry.booking.id} entry={entry} clock={clock} now={now} />
                ))}
              </ul>
            ) : (
              <p className="py-3 text-sm text-stone-500">Nothing booked.</p>
            )}
            {practitioner.active && date >= today ? (
              <NewBookingLink practitioner={practitioner} date={date} locale={clock.locale} />
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
