import Link from "next/link";
import { isOperator } from "@/lib/auth/operators";
import { requireMember } from "@/lib/auth/session";
import { signOutAction } from "@/app/(auth)/actions";
import { NavLink } from "./nav-link";

// Its server actions kick the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 30;

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const member = await requireMember();
  // /admin/jobs shows every clinic's jobs: only deployment operators get the link.
  const operator = isOperator(member.user.email);
  return (
    <div className="min-h-screen">
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-6 py-3">
          <Link href="/dashboard" className="font-semibold text-brand-700">
            {member.clinic.name}
          </Link>
          <nav aria-label="Dashboard" className="flex flex-wrap gap-1 text-sm">
            <NavLink href="/dashboard" exact>
              Appointments
            </NavLink>
            <NavLink href="/dashboard/treatments">Treatments</NavLink>
            <NavLink href="/dashboard/practitioners">Practitioners</NavLink>
            <NavLink href="/dashboard/billing">Billing</NavLink>
            <NavLink href="/dashboard/settings">Settings</NavLink>
            {operator ? <NavLink href="/admin/jobs">Jobs</NavLink> : null}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm text-stone-600">
            <Link href={`/book/${member.clinic.slug}`} className="underline hover:text-stone-900">
              Booking page
            </Link>
            <span>
              {member.user.name} · {member.role}
            </span>
            <form action={signOutAction}>
              <button
                type="submit"
                className="rounded-md px-2 py-1 hover:bg-stone-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
              >
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
