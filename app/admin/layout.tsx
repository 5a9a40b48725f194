import Link from "next/link";
import { requireMember } from "@/lib/auth/session";

/**
 * The operator area. The job queue belongs to the deployment, not to one clinic, so
 * it is shown to owners and admins only: signed-out visitors are sent to sign in, and
 * staff get a 404 (requireMember), which does not even reveal that /admin exists.
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const member = await requireMember({ roles: ["owner", "admin"] });
  return (
    <div className="min-h-screen">
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3 text-sm">
          <Link href="/admin/jobs" className="font-semibold text-brand-700">
            Slotline operator
          </Link>
          <Link href="/dashboard" className="text-stone-600 underline hover:text-stone-900">
            Back to {member.clinic.name}
          </Link>
          <span className="ml-auto text-stone-600">
            {member.user.name} · {member.role}
          </span>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
