import Link from "next/link";
import { LogOut } from "lucide-react";
import { signOutAction } from "@/app/(auth)/actions";
import { ShownClinicProvider } from "@/app/_ui/form";
import { Button } from "@/components/ui/button";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { bookingPagePath } from "@/lib/booking/booking-links";
import { isOperator } from "@/lib/auth/operators";
import { getEmailVerified, getMemberships, requireMember } from "@/lib/auth/session";
import { switchClinic } from "./actions";
import { ClinicSwitcher } from "./clinic-switcher";
import { ConfirmEmailBanner } from "./confirm-email-banner";
import { MobileNav, type NavItem } from "./mobile-nav";
import { NavLink } from "./nav-link";

// Its server actions kick the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 300;

/**
 * In the header's full row only its icon shows (the words stay for screen readers, and as
 * its tooltip), to leave the links room; the menu shows the words.
 */
function SignOutButton({ iconOnly = false }: { iconOnly?: boolean }) {
  return (
    <form action={signOutAction}>
      <Button type="submit" variant="ghost" size={iconOnly ? "icon" : "sm"} title={iconOnly ? "Sign out" : undefined}>
        <LogOut aria-hidden />
        <span className={iconOnly ? "sr-only" : undefined}>Sign out</span>
      </Button>
    </form>
  );
}

/** The pages that manage the clinic: owners and admins only (each page refuses staff too). */
const MANAGER_PAGES: NavItem[] = [
  { href: "/dashboard/treatments", label: "Treatments" },
  { href: "/dashboard/practitioners", label: "Practitioners" },
  { href: "/dashboard/reports", label: "Reports" },
  { href: "/dashboard/team", label: "Team" },
  { href: "/dashboard/settings", label: "Settings" },
];

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const member = await requireMember();
  const memberships = await getMemberships();
  const emailVerified = await getEmailVerified();
  const items: NavItem[] = [
    { href: "/dashboard", label: "Calendar", exact: true },
    { href: "/dashboard/clients", label: "Clients" },
  ];
  if (MANAGER_ROLES.includes(member.role)) items.push(...MANAGER_PAGES);
  // /admin/jobs shows every clinic's jobs: only deployment operators get the link.
  if (emailVerified && isOperator(member.user.email)) items.push({ href: "/admin/jobs", label: "Jobs" });
  const bookingPage = bookingPagePath(member.clinic.slug);
  return (
    <div className="min-h-screen">
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3 sm:px-6">
          {memberships.length > 1 ? (
            <ClinicSwitcher
              // A new active clinic remounts it, so the select never shows a stale choice.
              key={member.clinic.id}
              clinics={memberships.map(({ clinic }) => ({ id: clinic.id, name: clinic.name }))}
              activeId={member.clinic.id}
              action={switchClinic}
            />
          ) : (
            <Link href="/dashboard" className="min-w-0 truncate font-semibold text-brand-700">
              {member.clinic.name}
            </Link>
          )}
          <nav aria-label="Dashboard" className="hidden gap-1 text-sm xl:flex">
            {items.map((item) => (
              <NavLink key={item.href} href={item.href} exact={item.exact}>
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto hidden items-center gap-3 text-sm text-stone-600 xl:flex">
            <Link href={bookingPage} className="whitespace-nowrap underline hover:text-stone-900">
              Booking page
            </Link>
            <Link
              href="/dashboard/account"
              className="max-w-[16rem] truncate whitespace-nowrap hover:text-stone-900"
              title="Your account"
            >
              {member.user.name} · {member.role}
            </Link>
            <SignOutButton iconOnly />
          </div>
          <div className="ml-auto xl:hidden">
            <MobileNav items={items}>
              <div className="mt-auto space-y-3 border-t border-stone-200 pt-4 text-sm text-stone-600">
                <Link href={bookingPage} className="block underline">
                  Booking page
                </Link>
                <Link href="/dashboard/account" className="block">
                  {member.user.name} · {member.role}
                </Link>
                <SignOutButton />
              </div>
            </MobileNav>
          </div>
        </div>
      </header>
      {emailVerified ? null : <ConfirmEmailBanner email={member.user.email} />}
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {/* Its forms post the clinic they were shown for (lib/auth/form-clinic.ts). */}
        <ShownClinicProvider clinicId={member.clinic.id}>{children}</ShownClinicProvider>
      </main>
    </div>
  );
}
