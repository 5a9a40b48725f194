import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import { calendarHref, type CalendarRange, type CalendarView } from "@/lib/calendar/range";
import { formatLocalDate } from "@/lib/format/clinic-time";

const VIEWS: { view: CalendarView; label: string }[] = [
  { view: "day", label: "Day" },
  { view: "week", label: "Week" },
];

/** Previous / today / next and the day-week switch: plain links, so no JavaScript is needed. */
export function CalendarToolbar({ range, today, locale }: { range: CalendarRange; today: string; locale: string }) {
  const unit = range.view === "day" ? "day" : "week";
  const title =
    range.view === "day"
      ? formatLocalDate(range.date, locale)
      : `${formatLocalDate(range.days[0], locale, "short")} – ${formatLocalDate(range.days[6], locale, "short")}`;
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight">
          {range.view === "day" && range.date === today ? "Today" : range.view === "day" ? "Day" : "Week"}
        </h1>
        <p className="text-sm text-stone-600" data-testid="calendar-title">
          {title}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label={`Move by ${unit}`} className="flex items-center gap-1">
          <Link
            href={calendarHref(range.view, range.previous)}
            className={buttonVariants({ variant: "secondary", size: "icon" })}
            aria-label={`Previous ${unit}`}
          >
            <ChevronLeft />
          </Link>
          <Link href={calendarHref(range.view, today)} className={buttonVariants({ variant: "secondary" })}>
            Today
          </Link>
          <Link
            href={calendarHref(range.view, range.next)}
            className={buttonVariants({ variant: "secondary", size: "icon" })}
            aria-label={`Next ${unit}`}
          >
            <ChevronRight />
          </Link>
        </nav>
        <nav aria-label="Calendar view" className="flex rounded-md border border-stone-300 bg-white p-0.5 shadow-sm">
          {VIEWS.map(({ view, label }) => (
            <Link
              key={view}
              href={calendarHref(view, range.date)}
              aria-current={range.view === view ? "page" : undefined}
              className={cn(
                "rounded px-3 py-1.5 text-sm font-medium",
                range.view === view ? "bg-brand-600 text-white" : "text-stone-600 hover:bg-stone-100",
              )}
            >
              {label}
            </Link>
          ))}
        </nav>
      </div>
    </div>
  );
}
