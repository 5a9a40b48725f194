import Link from "next/link";
import { Circle, CircleCheck } from "lucide-react";
import { CopyField } from "@/app/_ui/copy-field";
import type { SetupChecklist as Checklist } from "@/lib/clinic/setup-checklist";
import { Card } from "../page-header";

/** A new clinic's steps to its first booking, each undone one linking to where it is done. */
export function SetupChecklist({ checklist }: { checklist: Checklist }) {
  const items = [
    {
      label: "Add a treatment",
      done: checklist.hasTreatment,
      href: "/dashboard/treatments",
      hint: "What clients can book, how long it takes and what it costs.",
    },
    {
      label: "Set working hours",
      done: checklist.hasWorkingHours,
      href: checklist.practitionerId
        ? `/dashboard/practitioners/${checklist.practitionerId}`
        : "/dashboard/practitioners",
      hint: checklist.practitionerId
        ? "Clients see free times inside a practitioner's weekly hours."
        : "Add a practitioner, then their weekly hours.",
    },
    {
      label: "Share your booking link",
      done: checklist.shared,
      href: checklist.bookingPath,
      hint: "Put it on your website, in your email signature or in a text to your clients.",
    },
  ];
  return (
    <Card title="Get ready for your first booking">
      <ol className="space-y-4" aria-label="Setup checklist">
        {items.map((item) => (
          <li key={item.label} className="flex gap-3 text-sm">
            {item.done ? (
              <CircleCheck aria-hidden className="mt-0.5 size-5 shrink-0 text-brand-600" />
            ) : (
              <Circle aria-hidden className="mt-0.5 size-5 shrink-0 text-stone-400" />
            )}
            <div>
              {item.done ? (
                <p className="font-medium text-stone-500 line-through">
                  {item.label}
                  <span className="sr-only"> (done)</span>
                </p>
              ) : (
                <Link href={item.href} className="font-medium text-brand-700 underline">
                  {item.label}
                </Link>
              )}
              {item.done ? null : <p className="mt-0.5 text-stone-600">{item.hint}</p>}
            </div>
          </li>
        ))}
      </ol>
      <div className="mt-6 max-w-xl">
        <CopyField label="Your booking page" value={checklist.bookingUrl} />
      </div>
    </Card>
  );
}
