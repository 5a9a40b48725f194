import Link from "next/link";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { formatMoney } from "@/lib/billing/money";
import { listTreatments } from "@/lib/clinic/treatments";
import { createTreatment } from "../../actions";
import { Card, PageHeader } from "../../page-header";
import { TreatmentForm } from "./treatment-form";

export const metadata = { title: "Treatments" };

export default async function TreatmentsPage() {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const treatments = await listTreatments(member);
  return (
    <>
      <PageHeader title="Treatments" description="What clients can book, how long it takes and what it costs." />
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <Card>
          {treatments.length === 0 ? <p className="text-sm text-stone-600">No treatments yet.</p> : null}
          <ul className="divide-y divide-stone-100">
            {treatments.map((t) => (
              <li key={t.id} className="flex items-center justify-between gap-4 py-3 text-sm">
                <div>
                  <div className="font-medium">
                    {t.name}{" "}
                    {t.active ? null : (
                      <span className="ml-1 rounded bg-stone-100 px-1.5 text-xs text-stone-600">hidden</span>
                    )}
                  </div>
                  <div className="text-stone-500">
                    {t.durationMinutes} min{t.bufferMinutes ? ` + ${t.bufferMinutes} min buffer` : ""} ·{" "}
                    {formatMoney(t.priceMinor, member.clinic.currency)}
                  </div>
                </div>
                <Link href={`/dashboard/treatments/${t.id}`} className="text-brand-700 underline">
                  Edit<span className="sr-only"> {t.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Add a treatment">
          <TreatmentForm action={createTreatment} currency={member.clinic.currency} submitLabel="Add treatment" />
        </Card>
      </div>
    </>
  );
}
