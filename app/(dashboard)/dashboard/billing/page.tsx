import { requireMember } from "@/lib/auth/session";
import { formatChange, formatRate } from "@/lib/billing/change";
import { formatMoney } from "@/lib/billing/money";
import { formatPeriod } from "@/lib/billing/period";
import { listSummaries } from "@/lib/billing/store";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  const member = await requireMember();
  const summaries = await listSummaries(member.clinic.id);
  return (
    <>
      <PageHeader
        title="Monthly summaries"
        description={`Computed on the 1st of each month for the month before, in ${member.clinic.timeZone} time, and emailed to the clinic's owners.`}
      />
      <Card>
        {summaries.length === 0 ? (
          <p className="text-sm text-stone-600">No summaries yet. The first one arrives on the 1st of next month.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-stone-200 text-stone-500">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Month
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Revenue
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Bookings
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Completed · no-show · cancelled
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    No-show rate
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Clients (new · returning)
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    Top treatment
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {summaries.map((summary) => {
                  const top = summary.topTreatments[0];
                  return (
                    <tr key={summary.id}>
                      <th scope="row" className="py-3 pr-4 font-medium">
                        {formatPeriod(summary.period)}
                      </th>
                      <td className="py-3 pr-4">
                        {formatMoney(summary.revenueMinor, summary.currency)}
                        <span className="block text-xs text-stone-500">
                          {formatChange(summary.revenueMinor, summary.previous?.revenueMinor)}
                        </span>
                      </td>
                      <td className="py-3 pr-4">
                        {summary.bookingsTotal}
                        <span className="block text-xs text-stone-500">
                          {formatChange(summary.bookingsTotal, summary.previous?.bookingsTotal)}
                        </span>
                      </td>
                      <td className="py-3 pr-4">{`${summary.completed} · ${summary.noShows} · ${summary.cancelled}`}</td>
                      <td className="py-3 pr-4">{formatRate(summary.noShowRate)}</td>
                      <td className="py-3 pr-4">{`${summary.newClients} · ${summary.returningClients}`}</td>
                      <td className="py-3">{top ? `${top.name} (${top.count})` : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
