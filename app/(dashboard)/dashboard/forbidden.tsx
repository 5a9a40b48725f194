import { ROLE_SUMMARY } from "@/lib/team/roles";
import { DashboardNotice } from "../page-header";

export const metadata = { title: "Not for your role" };

/** What a member sees (with status 403) on a page their role may not open: staff on settings, say. */
export default function Forbidden() {
  return (
    <DashboardNotice title="Not for your role">
      This page is for the clinic&apos;s owners and admins. Staff {ROLE_SUMMARY.staff}, on the calendar; ask the owner
      or an admin if you need more.
    </DashboardNotice>
  );
}
