import Link from "next/link";

// Its server actions kick the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 30;

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <Link href="/" className="text-sm font-semibold uppercase tracking-wide text-brand-600">
        Slotline
      </Link>
      <div className="mt-6 rounded-xl border border-stone-200 bg-white p-8 shadow-sm">{children}</div>
    </main>
  );
}
