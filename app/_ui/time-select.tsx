"use client";

import { createContext, use } from "react";
import { SelectField } from "./form";

type TimeOption = { value: string; label: string };

/**
 * The times a form's selects offer, in the clinic's locale (timeOfDayOptions), computed
 * once by the server page: the many selects of a form share one list, and the browser's
 * own AM/PM setting plays no part.
 */
const TimeOptions = createContext<TimeOption[]>([]);

export function TimeOptionsProvider({ options, children }: { options: TimeOption[]; children: React.ReactNode }) {
  return <TimeOptions value={options}>{children}</TimeOptions>;
}

/**
 * A time of day as a select of the clinic's times (value "HH:MM"), instead of a native time
 * input that shows the browser's 12 or 24 hours. `end` offers 24:00; `empty` names the
 * empty choice. A saved value off the list's grid is kept as an option.
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
  const options = use(TimeOptions).filter((option) => end || option.value !== "24:00");
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
