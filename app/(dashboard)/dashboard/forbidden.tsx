import Link from "next/link";
import { ROLE_SUMMARY } from "@/lib/team/roles";
import { Card, PageHeader } from "../page-header";

export const metadata = { title: "Not for your role" };

/** What a member sees (with status 403) on a page their role may not open: staff on settings, say. */
export default function Forbidden() {
  return (
    <>
      <PageHeader title="Not for your role" />
      <Card>
        <p className="text-sm text-stone-600">
          This page is for the clinic&apos;s owners and admins. Staff {ROLE_SUMMARY.staff}, on the calendar; ask the
          owner or an admin if you need more.
        </p>
        <Link href="/dashboard" className="mt-4 inline-block text-sm text-brand-700 underline">
          Go to the calendar
        </Link>
      </Card>
    </>
  );
}
