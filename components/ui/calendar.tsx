"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { DayPicker, type DayPickerProps } from "react-day-picker";
import { cn } from "@/lib/cn";
import { buttonVariants } from "./button";

/**
 * A month grid (react-day-picker: weeks laid out by the locale, a labelled grid, arrow
 * keys between days, Home/End and Page Up/Down), styled like the rest of the kit. Pass
 * `components.DayButton` to render days as links; see app/_ui/month-calendar.tsx.
 */
export function Calendar({ className, classNames, components, showOutsideDays = false, ...props }: DayPickerProps) {
  return (
    <DayPicker
      showOutsideDays={showOutsideDays}
      className={cn("w-full", className)}
      classNames={{
        months: "relative w-full",
        month: "w-full",
        nav: "absolute inset-x-0 top-0 flex items-center justify-between",
        button_previous: buttonVariants({ variant: "ghost", size: "icon" }),
        button_next: buttonVariants({ variant: "ghost", size: "icon" }),
        month_caption: "flex h-9 items-center justify-center",
        caption_label: "text-sm font-semibold",
        month_grid: "mt-3 w-full table-fixed border-collapse text-center text-sm",
        weekday: "pb-2 text-xs font-medium text-stone-500",
        day: "p-0.5",
        day_button:
          "block w-full rounded-md py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:text-stone-300",
        outside: "text-stone-300",
        hidden: "invisible",
        ...classNames,
      }}
      components={{
        Chevron: ({ orientation }) => (orientation === "left" ? <ChevronLeft /> : <ChevronRight />),
        ...components,
      }}
      {...props}
    />
  );
}
