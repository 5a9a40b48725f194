import Link from "next/link";
import { ActionForm, SubmitButton, type FormAction } from "@/app/_ui/form";
import { MonthCalendarView } from "@/app/_ui/month-calendar";
import { SlotPicker } from "@/app/_ui/slot-picker";
import type { loadBookingChoices } from "@/lib/booking/booking-page";
import { formatLocalDate, type ClinicClock } from "@/lib/format/clinic-time";

type Choices = Awaited<ReturnType<typeof loadBookingChoices>>;

/**
 * Where a booking moves to, for the client's link and the front desk alike: the month of
 * free days beside the chosen day's free times, without the booking's own time (which
 * counts as free, so a move may overlap it), and a form that posts `action` with `fields`.
 */
export function MoveTimes({
  page,
  currentStart,
  clock,
  href,
  action,
  fields,
}: {
  page: Choices & { calendar: NonNullable<Choices["calendar"]> };
  currentStart: Date;
  clock: ClinicClock;
  href: (query: { date?: string; month?: string }) => string;
  action: FormAction;
  fields: Record<string, string>;
}) {
  const others = page.slots.filter((slot) => new Date(slot.start).getTime() !== currentStart.getTime());
  return (
    <div id="times" className="grid gap-8 lg:grid-cols-[20rem_1fr]">
      <MonthCalendarView calendar={page.calendar} selected={page.selection.date} href={href} locale={clock.locale} />
      <div aria-live="polite">
        <h2 className="text-base font-semibold">Free times on {formatLocalDate(page.selection.date, clock.locale)}</h2>
        {others.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">
            No other free times that day.{" "}
            {page.nextFreeDate ? (
              <Link href={href({ date: page.nextFreeDate })} className="font-medium text-brand-700 underline">
                Next free day: {formatLocalDate(page.nextFreeDate, clock.locale)}
              </Link>
            ) : null}
          </p>
        ) : (
          <ActionForm action={action} className="mt-4 space-y-4">
            {Object.entries(fields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <SlotPicker legend="New time" slots={others} clock={clock} showZoneNames={page.showZoneNames} />
            <SubmitButton>Move appointment</SubmitButton>
          </ActionForm>
        )}
      </div>
    </div>
  );
}
