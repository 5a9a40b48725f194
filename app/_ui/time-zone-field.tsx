"use client";

import { useEffect, useRef } from "react";
import { SelectField, useFormState } from "./form";

/**
 * The time-zone picker of the sign-up forms. The server renders it set to `fallback`
 * (Europe/London), which is what a browser without JavaScript sends; with JavaScript
 * it switches to the browser's own zone once, unless the form came back with a choice.
 */
export function TimeZoneField({
  options,
  fallback,
}: {
  options: { value: string; label: string }[];
  fallback: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const submitted = useFormState().values?.timeZone;
  useEffect(() => {
    const select = box.current?.querySelector("select");
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!select || submitted || !options.some((option) => option.value === browserZone)) return;
    select.value = browserZone;
  }, [options, submitted]);
  return (
    <div ref={box}>
      <SelectField name="timeZone" label="Time zone" options={options} defaultValue={fallback} />
    </div>
  );
}
