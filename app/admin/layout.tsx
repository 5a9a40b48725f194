import Link from "next/link";
import { getMember, requireOperator } from "@/lib/auth/session";

/**
 * The operator area. The job queue belongs to the deployment, not to one clinic (job
 * payloads name every clinic's bookings), so it is shown to the operators named in
 * OPERATOR_EMAILS only: signed-out visitors are sent to sign in, and everyone else,
 * clinic owners included, gets a 404 that does not even reveal that /admin exists.
 * The pages and the server actions check again: a layout does not re-render on
 * client navigation, and an action is a public endpoint.
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const operator = await requireOperator();
  // An operator need not belong to a clinic; the way back is shown to those who do.
  const member = await getMember();
  return (
    <div className="min-h-screen">
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3 text-sm">
          <Link href="/admin/jobs" className="font-semibold text-brand-700">
            Slotline operator
          </Link>
          {member ? (
            <Link href="/dashboard" className="text-stone-600 underline hover:text-stone-900">
              Back to {member.clinic.name}
            </Link>
          ) : null}
          <span className="ml-auto text-stone-600">{operator.user.name} · operator</span>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
