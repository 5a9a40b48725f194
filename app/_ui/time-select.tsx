"use client";

import { createContext, use } from "react";
import { SLOT_STEP_MINUTES } from "@/lib/booking/slots";
import { minutesToTime } from "@/lib/format/clinic-time";
import { SelectField } from "./form";

/**
 * The labels of every SLOT_STEP_MINUTES (slots start on that grid) from 00:00 to 24:00 in the clinic's locale
 * (formatTimeOfDay), computed once by the server page, so the many selects of a form
 * share one list and the browser's own AM/PM setting plays no part.
 */
const TimeLabels = createContext<string[]>([]);

export function TimeLabelsProvider({ labels, children }: { labels: string[]; children: React.ReactNode }) {
  return <TimeLabels value={labels}>{children}</TimeLabels>;
}

/**
 * A time of day as a select of the clinic's times (value "HH:MM"), instead of a native time
 * input that shows the browser's 12 or 24 hours. `end` offers 24:00; `empty` names the
 * empty choice. A saved value off the 15-minute grid is kept as an option.
 */
export function TimeSelectField({
  name,
  label,
  defaultValue,
  end = false,
  empty,
  className,
}: {
  name: string;
  label: string;
  defaultValue?: string;
  end?: boolean;
  empty?: string;
  className?: string;
}) {
  const labels = use(TimeLabels);
  const options = labels
    .map((text, i) => ({ value: minutesToTime(i * SLOT_STEP_MINUTES), label: text }))
    .filter((option) => end || option.value !== "24:00");
  if (defaultValue && !options.some((option) => option.value === defaultValue))
    options.push({ value: defaultValue, label: defaultValue });
  options.sort((a, b) => a.value.localeCompare(b.value));
  return (
    <SelectField
      name={name}
      label={label}
      className={className}
      defaultValue={defaultValue ?? ""}
      options={empty === undefined ? options : [{ value: "", label: empty }, ...options]}
    />
  );
}
