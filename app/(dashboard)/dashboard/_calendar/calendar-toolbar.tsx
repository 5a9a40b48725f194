import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { SubmitOnChange } from "@/app/_ui/submit-on-change";
import { controlClass } from "@/app/_ui/control-class";
import { cn } from "@/lib/cn";
import { calendarHref, type CalendarRange, type CalendarView } from "@/lib/calendar/range";
import { formatLocalDate } from "@/lib/format/clinic-time";

type Person = { id: string; name: string };

const VIEWS: { view: CalendarView; label: string }[] = [
  { view: "day", label: "Day" },
  { view: "week", label: "Week" },
];

/**
 * Previous / today / next and the day-week switch: plain links, so no JavaScript is needed.
 * Each keeps the practitioner shown, chosen in the GET form beside them.
 */
export function CalendarToolbar({
  range,
  today,
  locale,
  choices,
  chosen,
  own,
}: {
  range: CalendarRange;
  today: string;
  locale: string;
  choices: Person[];
  chosen: Person | null;
  /** The practitioner the signed-in member is, marked "(you)". */
  own: Person | null;
}) {
  const unit = range.view === "day" ? "day" : "week";
  const href = (view: CalendarView, date: string) => calendarHref(view, date, chosen?.id);
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
            href={href(range.view, range.previous)}
            className={buttonVariants({ variant: "secondary", size: "icon" })}
            aria-label={`Previous ${unit}`}
          >
            <ChevronLeft />
          </Link>
          <Link href={href(range.view, today)} className={buttonVariants({ variant: "secondary" })}>
            Today
          </Link>
          <Link
            href={href(range.view, range.next)}
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
              href={href(view, range.date)}
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
        {choices.length > 1 || chosen ? (
          <PractitionerChooser range={range} choices={choices} chosen={chosen} own={own} />
        ) : null}
      </div>
    </div>
  );
}

/** Everyone's columns or one practitioner's: the day, the week and "Coming up" follow it. */
function PractitionerChooser({
  range,
  choices,
  chosen,
  own,
}: {
  range: CalendarRange;
  choices: Person[];
  chosen: Person | null;
  own: Person | null;
}) {
  return (
    <form method="get" action="/dashboard" className="flex items-center gap-2">
      <SubmitOnChange />
      <input type="hidden" name="view" value={range.view} />
      <input type="hidden" name="date" value={range.date} />
      <label htmlFor="calendar-practitioner" className="sr-only">
        Whose appointments
      </label>
      <select
        id="calendar-practitioner"
        name="practitioner"
        defaultValue={chosen?.id ?? ""}
        className={cn(controlClass, "mt-0 w-auto max-w-48")}
      >
        <option value="">Everyone</option>
        {choices.map((person) => (
          <option key={person.id} value={person.id}>
            {person.id === own?.id ? `${person.name} (you)` : person.name}
          </option>
        ))}
      </select>
      <button type="submit" className={buttonVariants({ variant: "secondary" })}>
        Show
      </button>
    </form>
  );
}
