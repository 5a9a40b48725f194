"use client";

import Link from "next/link";
import { createContext, useContext, useEffect, useRef } from "react";
import type { DayButtonProps, MonthCaptionProps } from "react-day-picker";
import { Calendar } from "@/components/ui/calendar";
import type { CalendarDay } from "@/lib/booking/month-calendar";
import { cn } from "@/lib/cn";
import { dateFnsLocale, PICKER_TIME_ZONE, pickerDate } from "./picker-dates";

type Neighbour = { href: string; title: string };
type Links = { days: Map<string, string>; previous?: Neighbour; next?: Neighbour };

const LinksContext = createContext<Links>({ days: new Map() });

const navClass =
  "rounded-md px-2 py-1 text-sm text-stone-700 hover:bg-stone-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500";

/** The month's title between links to the months before and after, when they can be booked. */
function MonthCaptionWithLinks({ children }: MonthCaptionProps) {
  const { previous, next } = useContext(LinksContext);
  const link = (neighbour: Neighbour | undefined, label: string, text: string) =>
    neighbour ? (
      <Link href={neighbour.href} className={navClass} aria-label={`${label}, ${neighbour.title}`}>
        {text}
      </Link>
    ) : (
      <span className="px-2 py-1 text-sm text-stone-300" aria-hidden="true">
        {text}
      </span>
    );
  return (
    <div className="flex items-center justify-between">
      {link(previous, "Previous month", "‹ Prev")}
      {children}
      {link(next, "Next month", "Next ›")}
    </div>
  );
}

/**
 * A free day is a link to its times; others are text. The picker's focus handling
 * (arrow keys, one tab stop for the grid) is kept; its click handler is not, so the link
 * navigates as a link.
 */
function DayLink({ day, modifiers, className, children, ...props }: DayButtonProps) {
  const { days } = useContext(LinksContext);
  const ref = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (modifiers.focused) ref.current?.focus();
  }, [modifiers.focused]);
  const href = days.get(day.isoDate);
  const label = props["aria-label"];
  const state = modifiers.free ? "free" : modifiers.full ? "full" : "closed";
  if (!href)
    return (
      <span
        aria-label={label}
        aria-current={modifiers.selected ? "date" : undefined}
        data-state={state}
        className={cn(
          className,
          state === "full" ? "text-stone-400 line-through" : "text-stone-300",
          modifiers.selected && "ring-1 ring-stone-300",
        )}
      >
        {children}
      </span>
    );
  return (
    <Link
      ref={ref}
      href={href}
      aria-label={label}
      aria-current={modifiers.selected ? "date" : undefined}
      data-state={state}
      tabIndex={props.tabIndex}
      onKeyDown={props.onKeyDown as React.KeyboardEventHandler<HTMLElement>}
      onFocus={props.onFocus as React.FocusEventHandler<HTMLElement>}
      onBlur={props.onBlur as React.FocusEventHandler<HTMLElement>}
      className={cn(
        className,
        "font-medium",
        modifiers.selected ? "bg-brand-600 text-white" : "bg-brand-50 text-brand-700 hover:bg-brand-100",
      )}
    >
      {children}
    </Link>
  );
}

const COMPONENTS = { DayButton: DayLink, MonthCaption: MonthCaptionWithLinks };

export function MonthGrid({
  month,
  title,
  today,
  selected,
  locale,
  days,
  previous,
  next,
}: {
  month: string;
  title: string;
  today: string;
  selected: string;
  locale: string;
  days: (CalendarDay & { href?: string })[];
  previous?: Neighbour;
  next?: Neighbour;
}) {
  const dates = (state: CalendarDay["state"]) =>
    days.filter((day) => day.state === state).map((day) => pickerDate(day.date));
  const shown = pickerDate(`${month}-01`);
  const dayName = new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" });
  const links: Links = {
    days: new Map(days.flatMap((day) => (day.href ? [[day.date, day.href] as const] : []))),
    previous,
    next,
  };
  return (
    <nav aria-label={`Days with free times, ${title}`} className="w-full">
      <LinksContext value={links}>
        <Calendar
          mode="single"
          timeZone={PICKER_TIME_ZONE}
          locale={dateFnsLocale(locale)}
          month={shown}
          startMonth={shown}
          endMonth={shown}
          today={pickerDate(today)}
          selected={selected.startsWith(month) ? pickerDate(selected) : undefined}
          hideNavigation
          disableNavigation
          modifiers={{ free: dates("free"), full: dates("full") }}
          disabled={[...dates("full"), ...dates("closed")]}
          formatters={{ formatCaption: () => title }}
          labels={{
            labelGrid: () => title,
            labelDayButton: (date, modifiers) =>
              `${dayName.format(date)}, ${modifiers.free ? "free times" : modifiers.full ? "no free times" : "not bookable"}`,
          }}
          components={COMPONENTS}
        />
      </LinksContext>
      <p className="mt-2 text-xs text-stone-500">
        <span className="mr-1 inline-block size-2 rounded-full bg-brand-500 align-middle" aria-hidden="true" />
        Highlighted days have free times.
      </p>
    </nav>
  );
}
