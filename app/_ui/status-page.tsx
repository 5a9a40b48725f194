import Link from "next/link";

/** A card alone in the middle of the page under the product's name: the sign-in pages' frame, and StatusPage's. */
export function CenteredCard({ children }: { children: React.ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <Link href="/" className="text-sm font-semibold uppercase tracking-wide text-brand-600">
        Slotline
      </Link>
      <div className="mt-6 rounded-xl border border-stone-200 bg-white p-8 shadow-sm">{children}</div>
    </main>
  );
}

/** A page that stands alone (not found, an error): a heading, a sentence or two and what to do next. */
export function StatusPage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <CenteredCard>
      <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
      <div className="mt-2 space-y-4 text-sm text-stone-600">{children}</div>
    </CenteredCard>
  );
}
