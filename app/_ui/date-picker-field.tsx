"use client";

import { CalendarDays } from "lucide-react";
import { Popover } from "radix-ui";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Calendar } from "@/components/ui/calendar";
import { cn } from "@/lib/cn";
import { formatLocalDate } from "@/lib/format/clinic-time";
import { LabelledField } from "./form";
import { dateFnsLocale, PICKER_TIME_ZONE, pickerDate, pickerDay } from "./picker-dates";

const noSubscription = () => () => {};

/**
 * A date field with the kit's calendar (react-day-picker in a Radix popover) that names
 * days the clinic's way; it posts `name` as YYYY-MM-DD. Without JavaScript the browser's
 * own date input stands in (inside <noscript>), so the form still works.
 */
export function DatePickerField({
  name,
  label,
  locale,
  today,
  defaultValue = "",
  className,
}: {
  name: string;
  label: string;
  /** The clinic's locale: the first day of the week and how the chosen day is written. */
  locale: string;
  /**
   * Today in the clinic's zone, YYYY-MM-DD: the day the calendar marks and the month it opens
   * on. The picker runs in UTC, whose today is another day for hours of every day east or west of it.
   */
  today: string;
  defaultValue?: string;
  className?: string;
}) {
  return (
    <LabelledField name={name} label={label} className={className}>
      {(control) => (
        <DatePicker
          control={control}
          name={name}
          label={label}
          locale={locale}
          today={today}
          initial={control.defaultValue ?? defaultValue}
        />
      )}
    </LabelledField>
  );
}

function DatePicker({
  control,
  name,
  label,
  locale,
  today,
  initial,
}: {
  control: Parameters<React.ComponentProps<typeof LabelledField>["children"]>[0];
  name: string;
  label: string;
  locale: string;
  today: string;
  initial: string;
}) {
  const [value, setValue] = useState(initial);
  const [open, setOpen] = useState(false);
  // False in the server's HTML, true once React runs in the browser.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // The form's reset after a successful add (React resets forms an action posted) empties this too.
    const form = input.current?.form;
    const reset = () => setValue("");
    form?.addEventListener("reset", reset);
    return () => form?.removeEventListener("reset", reset);
  }, []);
  return (
    <>
      <noscript>
        <input type="date" {...control} defaultValue={initial} />
      </noscript>
      {/* Disabled until hydrated, so without JavaScript only the <noscript> input posts. */}
      <input ref={input} type="hidden" name={name} value={value} disabled={!hydrated} />
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger
          id={control.id}
          type="button"
          aria-invalid={control["aria-invalid"]}
          aria-describedby={control["aria-describedby"]}
          aria-label={`${label}: ${value ? formatLocalDate(value, locale) : "choose a date"}`}
          className={cn(control.className, "flex items-center justify-between gap-2 text-left", !hydrated && "hidden")}
        >
          <span className={value ? undefined : "text-stone-500"}>
            {value ? formatLocalDate(value, locale, "short") : "Choose a date"}
          </span>
          <CalendarDays className="size-4 text-stone-500" aria-hidden="true" />
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            align="start"
            sideOffset={4}
            className="z-50 w-72 rounded-md border border-stone-200 bg-white p-3 shadow-lg focus:outline-none"
          >
            <Calendar
              mode="single"
              timeZone={PICKER_TIME_ZONE}
              locale={dateFnsLocale(locale)}
              today={pickerDate(today)}
              selected={value ? pickerDate(value) : undefined}
              defaultMonth={pickerDate(value || today)}
              autoFocus
              onSelect={(date) => {
                setValue(date ? pickerDay(date) : "");
                setOpen(false);
              }}
              classNames={{
                day_button:
                  "block w-full rounded-md py-1.5 hover:bg-stone-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
                selected: "[&>button]:bg-brand-600 [&>button]:text-white",
                today: "[&>button]:font-semibold",
              }}
            />
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
    </>
  );
}
