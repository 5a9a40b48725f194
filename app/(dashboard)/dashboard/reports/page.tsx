import { Download } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { formatChange, formatRate } from "@/lib/billing/change";
import { formatMoney } from "@/lib/billing/money";
import { formatPeriod } from "@/lib/billing/period";
import { loadReport } from "@/lib/billing/report";
import { Card, PageHeader } from "../../page-header";
import { RevenueChart } from "./revenue-chart";

export const metadata = { title: "Reports" };

export default async function ReportsPage() {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const { locale, currency, timeZone } = member.clinic;
  const { months, practitioners } = await loadReport(member.clinic);
  const summarised = months.filter((month) => month.summary);
  const money = (minor: number) => formatMoney(minor, currency, locale);
  return (
    <>
      <PageHeader
        title="Reports"
        description={`The last twelve months in ${timeZone} time. Each month is summarised on the 1st of the next and emailed to the clinic's owners.`}
      >
        <a href="/dashboard/reports/csv" download className={buttonVariants({ variant: "secondary" })}>
          <Download aria-hidden />
          Download CSV
        </a>
      </PageHeader>
      <div className="space-y-6">
        <Card title="Revenue and bookings">
          {summarised.length === 0 ? (
            <p className="text-sm text-stone-600">No summaries yet. The first one arrives on the 1st of next month.</p>
          ) : (
            <RevenueChart months={months} currency={currency} locale={locale} />
          )}
        </Card>
        <Card title="By practitioner">
          {practitioners.length === 0 ? (
            <p className="text-sm text-stone-600">No appointments in these twelve months.</p>
          ) : (
            <Table data-testid="practitioner-figures">
              <TableHeader>
                <TableRow>
                  <TableHead>Practitioner</TableHead>
                  <TableHead>Revenue</TableHead>
                  <TableHead>Bookings</TableHead>
                  <TableHead>Completed · no-show · cancelled</TableHead>
                  <TableHead>No-show rate</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {practitioners.map((p) => (
                  <TableRow key={p.practitionerId}>
                    <th scope="row" className="py-3 pr-4 font-medium">
                      {p.name}
                    </th>
                    <TableCell>{money(p.revenueMinor)}</TableCell>
                    <TableCell>{p.bookings}</TableCell>
                    <TableCell>{`${p.completed} · ${p.noShows} · ${p.cancelled}`}</TableCell>
                    <TableCell>
                      {formatRate(p.completed + p.noShows ? p.noShows / (p.completed + p.noShows) : null)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Card>
        <Card title="Monthly summaries">
          {summarised.length === 0 ? (
            <p className="text-sm text-stone-600">No summaries yet.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Month</TableHead>
                  <TableHead>Revenue</TableHead>
                  <TableHead>Bookings</TableHead>
                  <TableHead>Completed · no-show · cancelled</TableHead>
                  <TableHead>No-show rate</TableHead>
                  <TableHead>Clients (new · returning)</TableHead>
                  <TableHead>Top treatment</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {summarised.toReversed().map(({ summary }) => {
                  if (!summary) return null;
                  const top = summary.topTreatments[0];
                  return (
                    <TableRow key={summary.id}>
                      <th scope="row" className="py-3 pr-4 font-medium whitespace-nowrap">
                        {formatPeriod(summary.period, locale)}
                      </th>
                      <TableCell>
                        {money(summary.revenueMinor)}
                        <span className="block text-xs text-stone-500">
                          {formatChange(summary.revenueMinor, summary.previous?.revenueMinor)}
                        </span>
                      </TableCell>
                      <TableCell>
                        {summary.bookingsTotal}
                        <span className="block text-xs text-stone-500">
                          {formatChange(summary.bookingsTotal, summary.previous?.bookingsTotal)}
                        </span>
                      </TableCell>
                      <TableCell>{`${summary.completed} · ${summary.noShows} · ${summary.cancelled}`}</TableCell>
                      <TableCell>{formatRate(summary.noShowRate)}</TableCell>
                      <TableCell>{`${summary.newClients} · ${summary.returningClients}`}</TableCell>
                      <TableCell>{top ? `${top.name} (${top.count})` : "—"}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
