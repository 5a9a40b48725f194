import Image from "next/image";
import Link from "next/link";
import { BarChart3, CalendarDays, Mail, ShieldCheck, Smartphone, Workflow } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DEMO } from "@/lib/demo/demo-clinic";

export const metadata = { title: { absolute: "Slotline · Online booking for clinics" } };

const FEATURES = [
  {
    icon: CalendarDays,
    title: "A calendar for the front desk",
    text: "Today's agenda first, then day and week views with a column per practitioner.",
  },
  {
    icon: ShieldCheck,
    title: "Never double-booked",
    text: "PostgreSQL itself refuses overlapping appointments: of two people taking one slot, exactly one gets it.",
  },
  {
    icon: Mail,
    title: "Emails that go out once",
    text: "Confirmations and reminders run as background jobs with idempotency keys, retried until they land.",
  },
  {
    icon: BarChart3,
    title: "Reports",
    text: "Twelve months of revenue and bookings, no-shows, new and returning clients, per practitioner, as CSV too.",
  },
  {
    icon: Smartphone,
    title: "Made for phones",
    text: "Clients book from any screen; the dashboard has a proper menu at phone width.",
  },
  {
    icon: Workflow,
    title: "Jobs that grow with you",
    text: "A Postgres queue on Vercel Cron by default; one flag moves the same job code onto Inngest.",
  },
];

export default function LandingPage() {
  return (
    <main>
      <section className="mx-auto max-w-6xl px-6 pt-16 pb-12 sm:pt-24">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">Slotline</p>
        <h1 className="mt-3 max-w-3xl text-4xl font-bold tracking-tight sm:text-5xl">
          Online booking for clinics, ready to deploy
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-stone-600">
          An open-source Next.js starter: practitioners with working hours, treatments with prices, a public booking
          page that never double-books, reminders that always go out, and reports your clinic will read.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Button asChild size="lg">
            <Link href={`/book/${DEMO.slug}`}>Book at the demo clinic</Link>
          </Button>
          <Button asChild size="lg" variant="secondary">
            <Link href="/sign-in">Open the demo dashboard</Link>
          </Button>
          <Button asChild size="lg" variant="ghost">
            <Link href="/sign-up">Start your clinic</Link>
          </Button>
        </div>
        <p className="mt-4 text-sm text-stone-500">
          Demo login: <code className="rounded bg-stone-100 px-1">{DEMO.email}</code> /{" "}
          <code className="rounded bg-stone-100 px-1">{DEMO.password}</code>
        </p>
      </section>
      <section className="mx-auto max-w-6xl px-6">
        <figure className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-lg">
          <Image
            src="/screenshots/dashboard-week.png"
            alt="The Slotline dashboard's week view: a column per practitioner, each day's appointments in it"
            width={1280}
            height={800}
            priority
            className="h-auto w-full"
          />
        </figure>
      </section>
      <section className="mx-auto max-w-6xl px-6 py-16">
        <h2 className="text-2xl font-semibold tracking-tight">What is in the box</h2>
        <ul className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
          {FEATURES.map(({ icon: Icon, title, text }) => (
            <li key={title} className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm">
              <Icon className="size-6 text-brand-600" aria-hidden />
              <h3 className="mt-3 font-semibold">{title}</h3>
              <p className="mt-1 text-sm text-stone-600">{text}</p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
