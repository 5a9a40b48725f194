import Link from "next/link";

/**
 * The frame of a page that stands alone (not found, an error): the sign-in pages' look,
 * with a heading, a sentence or two and what to do next.
 */
export function StatusPage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <Link href="/" className="text-sm font-semibold uppercase tracking-wide text-brand-600">
        Slotline
      </Link>
      <div className="mt-6 rounded-xl border border-stone-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        <div className="mt-2 space-y-4 text-sm text-stone-600">{children}</div>
      </div>
    </main>
  );
}
