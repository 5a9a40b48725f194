import { formatMonth, type MonthCalendar } from "@/lib/booking/month-calendar";
import { MonthGrid } from "./month-grid";

/**
 * The month of free days on the booking, moving and phone booking pages: the date picker
 * (components/ui/calendar.tsx) with each free day a plain link to its times, so it works
 * without JavaScript; with it, arrow keys move between free days. Full and closed days
 * are not links, and say why to screen readers.
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
  /** The clinic's locale: the first day of the week, and how days and months are named. */
  locale: string;
}) {
  const neighbour = (month: string | undefined) =>
    month ? { href: href({ month }), title: formatMonth(month, locale) } : undefined;
  return (
    <MonthGrid
      month={calendar.month}
      title={formatMonth(calendar.month, locale)}
      today={calendar.today}
      selected={selected}
      locale={locale}
      days={calendar.days.map((day) => ({ ...day, href: day.state === "free" ? href({ date: day.date }) : undefined }))}
      previous={neighbour(calendar.previous)}
      next={neighbour(calendar.next)}
    />
  );
}
