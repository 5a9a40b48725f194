import type { ReactNode } from "react";
import { formatClinicTime, type ClinicClock } from "@/lib/format/clinic-time";

/**
 * Free times as a group of radio buttons named `start`, each drawn as a button: the
 * booking form, the move form and the phone booking form. No hooks, so server and
 * client components alike render it.
 */
export function SlotPicker({
  legend,
  slots,
  clock,
  showZoneNames = false,
  checked,
  children,
}: {
  legend: string;
  slots: { start: string }[];
  clock: ClinicClock;
  /** On a clock-change day, "01:30 BST" rather than "01:30". */
  showZoneNames?: boolean;
  /** The start to show chosen (the one just posted, when the form is shown again). */
  checked?: string;
  /** Under the times: their field errors. */
  children?: ReactNode;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-stone-700">{legend}</legend>
      <div className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-5">
        {slots.map((slot) => (
          <label key={slot.start} className="cursor-pointer">
            <input
              type="radio"
              name="start"
              value={slot.start}
              defaultChecked={slot.start === checked}
              className="peer sr-only"
              required
            />
            <span className="block rounded-md border border-stone-300 bg-white px-2 py-2 text-center text-sm peer-checked:border-brand-600 peer-checked:bg-brand-600 peer-checked:text-white peer-focus-visible:ring-2 peer-focus-visible:ring-brand-500">
              {formatClinicTime(new Date(slot.start), clock, { withZone: showZoneNames })}
            </span>
          </label>
        ))}
      </div>
      {children}
    </fieldset>
  );
}
