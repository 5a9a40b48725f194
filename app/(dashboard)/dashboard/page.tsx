import { cookies } from "next/headers";
import Link from "next/link";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { localDateOf } from "@/lib/booking/wall-clock";
import type { CalendarEntry } from "@/lib/calendar/load-calendar";
import { loadCalendar } from "@/lib/calendar/load-calendar";
import { CALENDAR_PRACTITIONER_COOKIE, calendarRange } from "@/lib/calendar/range";
import { listUpcoming } from "@/lib/clinic/appointments";
import { loadSetupChecklist } from "@/lib/clinic/setup-checklist";
import { formatClinicDate } from "@/lib/format/clinic-time";
import { Card } from "../page-header";
import { UpcomingRow } from "./_calendar/appointment-card";
import { CalendarToolbar } from "./_calendar/calendar-toolbar";
import { DayView } from "./_calendar/day-view";
import { WeekView } from "./_calendar/week-view";
import { SetupChecklist } from "./setup-checklist";

export const metadata = { title: "Calendar" };

type SearchParams = Promise<{ view?: string | string[]; date?: string | string[]; practitioner?: string | string[] }>;

/**
 * The front desk's page: today's agenda first, then any day or week, everyone's or one
 * practitioner's (?view=day|week&date=YYYY-MM-DD&practitioner=<id>).
 */
export default async function CalendarPage({ searchParams }: { searchParams: SearchParams }) {
  const member = await requireMember();
  const now = new Date();
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  const today = localDateOf(now, clock.timeZone);
  const remembered = (await cookies()).get(CALENDAR_PRACTITIONER_COOKIE)?.value;
  const range = calendarRange(await searchParams, clock.timeZone, now, remembered);
  const isToday = range.view === "day" && range.date === today;
  const [calendar, checklist] = await Promise.all([loadCalendar(member, range), loadSetupChecklist(member)]);
  const coming = isToday ? await listUpcoming(member, now, calendar.chosen?.id) : [];
  const upcoming = byDay(coming, clock.timeZone);
  return (
    <>
      {/* Staff cannot add treatments or hours, so the steps are the managers'. */}
      {!checklist.complete && MANAGER_ROLES.includes(member.role) ? (
        <div className="mb-6">
          <SetupChecklist checklist={checklist} />
        </div>
      ) : null}
      <CalendarToolbar
        range={range}
        today={today}
        locale={clock.locale}
        choices={calendar.choices}
        chosen={calendar.chosen}
        own={calendar.own}
      />
      {calendar.unknownPractitioner ? (
        <p
          role="alert"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          The link asked for a practitioner this clinic does not have, so everyone&apos;s appointments are shown.
        </p>
      ) : null}
      {range.view === "day" ? (
        <DayView calendar={calendar} date={range.date} clock={clock} now={now} today={today} />
      ) : (
        <WeekView calendar={calendar} days={range.days} today={today} clock={clock} />
      )}
      {isToday ? (
        <div className="mt-6">
          <Card title="Coming up">
            <p className="-mt-2 mb-2 text-sm text-stone-600">
              The next two weeks{calendar.chosen ? ` of ${calendar.chosen.name}` : ""}, in {clock.timeZone} time.
            </p>
            {upcoming.length ? (
              <ol className="space-y-5">
                {upcoming.map(({ date, rows }) => (
                  <li key={date} aria-label={formatClinicDate(rows[0].booking.startsAt, clock)}>
                    <h3 className="flex items-baseline justify-between gap-2 border-b border-stone-200 pb-1 text-sm font-semibold">
                      {formatClinicDate(rows[0].booking.startsAt, clock)}
                      <span className="text-xs font-normal text-stone-500">{rows.length} booked</span>
                    </h3>
                    <ul className="divide-y divide-stone-100">
                      {rows.map((row) => (
                        <UpcomingRow
                          key={row.booking.id}
                          entry={row}
                          clock={clock}
                          practitioner={row.practitioner.name}
                        />
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            ) : calendar.chosen ? (
              <p className="text-sm text-stone-600">Nothing booked for {calendar.chosen.name} in the next two weeks.</p>
            ) : (
              <p className="text-sm text-stone-600">
                Nothing booked yet.{" "}
                {checklist.complete ? (
                  <>
                    Share your booking page to get some:{" "}
                    <Link href={checklist.bookingPath} className="text-brand-700 underline">
                      {checklist.bookingUrl}
                    </Link>
                  </>
                ) : (
                  <>Clients can book once the clinic has a treatment and a practitioner with working hours.</>
                )}
              </p>
            )}
          </Card>
        </div>
      ) : null}
    </>
  );
}

/** Appointments in time order, split by the clinic's local day. */
function byDay<Row extends CalendarEntry>(rows: Row[], timeZone: string) {
  const days: { date: string; rows: Row[] }[] = [];
  for (const row of rows) {
    const date = localDateOf(row.booking.startsAt, timeZone);
    if (days.at(-1)?.date !== date) days.push({ date, rows: [] });
    days.at(-1)!.rows.push(row);
  }
  return days;
}
