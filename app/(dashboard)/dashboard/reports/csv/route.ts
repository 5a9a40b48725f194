import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { loadReport } from "@/lib/billing/report";
import { reportCsv } from "@/lib/billing/report-csv";

/** The signed-in member's clinic's last twelve months as a CSV download (never another clinic's). */
export async function GET() {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const { months } = await loadReport(member.clinic);
  const name = `${member.clinic.slug}-report-${months[0].period}-to-${months[months.length - 1].period}.csv`;
  return new Response(reportCsv(months), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "private, no-store",
    },
  });
}
