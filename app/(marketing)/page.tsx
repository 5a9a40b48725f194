import Link from "next/link";

export default function LandingPage() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-24">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">Slotline</p>
      <h1 className="mt-3 text-4xl font-bold tracking-tight">Online booking for clinics</h1>
      <p className="mt-4 text-lg text-stone-600">
        Practitioners with working hours, treatments with prices, a public booking page that never double-books, and
        reminders that always go out.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link
          href="/book/demo-clinic"
          className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
        >
          Book at the demo clinic
        </Link>
        <Link href="/sign-up" className="rounded-md border border-stone-300 px-4 py-2 font-medium hover:bg-white">
          Start your clinic
        </Link>
        <Link href="/sign-in" className="rounded-md px-4 py-2 font-medium text-stone-600 hover:text-stone-900">
          Sign in
        </Link>
      </div>
    </main>
  );
}
