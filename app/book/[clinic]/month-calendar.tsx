import Link from "next/link";
import { formatMonth, type MonthCalendar } from "@/lib/booking/month-calendar";
import { cn } from "@/lib/cn";

const WEEKDAYS = [
  ["Mon", "Monday"],
  ["Tue", "Tuesday"],
  ["Wed", "Wednesday"],
  ["Thu", "Thursday"],
  ["Fri", "Friday"],
  ["Sat", "Saturday"],
  ["Sun", "Sunday"],
] as const;

function dayLabel(date: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/**
 * The month grid of the booking page: plain links, so it works without JavaScript. A
 * day with a free slot links to its times; other days are not links, and say why to
 * screen readers.
 */
export function MonthCalendarView({
  calendar,
  selected,
  href,
  locale,
}: {
  calendar: MonthCalendar;
  selected: string;
  href: (params: { date?: string; month?: string }) => string;
  /** The clinic's locale: how days and months are named to screen readers and in the title. */
  locale: string;
}) {
  const title = formatMonth(calendar.month, locale);
  return (
    <nav aria-label={`Days with free times, ${title}`} className="w-full">
      <div className="flex items-center justify-between">
        {calendar.previous ? (
          <Link
            href={href({ month: calendar.previous })}
            className="rounded-md px-2 py-1 text-sm text-stone-700 hover:bg-stone-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
            aria-label={`Previous month, ${formatMonth(calendar.previous, locale)}`}
          >
            ‹ Prev
          </Link>
        ) : (
          <span className="px-2 py-1 text-sm text-stone-300" aria-hidden="true">
            ‹ Prev
          </span>
        )}
        <h3 className="text-sm font-semibold" id="calendar-month">
          {title}
        </h3>
        {calendar.next ? (
          <Link
            href={href({ month: calendar.next })}
            className="rounded-md px-2 py-1 text-sm text-stone-700 hover:bg-stone-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
            aria-label={`Next month, ${formatMonth(calendar.next, locale)}`}
          >
            Next ›
          </Link>
        ) : (
          <span className="px-2 py-1 text-sm text-stone-300" aria-hidden="true">
            Next ›
          </span>
        )}
      </div>
      <table className="mt-3 w-full table-fixed border-collapse text-center text-sm" aria-labelledby="calendar-month">
        <thead>
          <tr>
            {WEEKDAYS.map(([short, long]) => (
              <th key={short} scope="col" className="pb-2 text-xs font-medium text-stone-500">
                <abbr title={long} className="no-underline">
                  {short}
                </abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {calendar.weeks.map((week, row) => (
            <tr key={row}>
              {week.map((day, column) =>
                day ? (
                  <td key={day.date} className="p-0.5">
                    {day.state === "free" ? (
                      <Link
                        href={href({ date: day.date })}
                        aria-current={day.date === selected ? "date" : undefined}
                        aria-label={`${dayLabel(day.date, locale)}, free times`}
                        data-state="free"
                        className={cn(
                          "block rounded-md py-2 font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
                          day.date === selected
                            ? "bg-brand-600 text-white"
                            : "bg-brand-50 text-brand-700 hover:bg-brand-100",
                        )}
                      >
                        {Number(day.date.slice(8))}
                      </Link>
                    ) : (
                      <span
                        aria-label={`${dayLabel(day.date, locale)}, ${day.state === "full" ? "no free times" : "not bookable"}`}
                        aria-current={day.date === selected ? "date" : undefined}
                        data-state={day.state}
                        className={cn(
                          "block rounded-md py-2",
                          day.state === "full" ? "text-stone-400 line-through" : "text-stone-300",
                          day.date === selected && "ring-1 ring-stone-300",
                        )}
                      >
                        {Number(day.date.slice(8))}
                      </span>
                    )}
                  </td>
                ) : (
                  <td key={`empty-${column}`} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-stone-500">
        <span className="mr-1 inline-block size-2 rounded-full bg-brand-500 align-middle" aria-hidden="true" />
        Highlighted days have free times.
      </p>
    </nav>
  );
}
