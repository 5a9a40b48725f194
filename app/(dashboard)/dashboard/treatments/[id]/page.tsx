import Link from "next/link";
import { notFound } from "next/navigation";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/clinic/errors";
import { getTreatment } from "@/lib/clinic/treatments";
import { updateTreatment } from "../../../actions";
import { Card, PageHeader } from "../../../page-header";
import { TreatmentForm } from "../treatment-form";

export const metadata = { title: "Edit treatment" };

export default async function EditTreatmentPage({ params }: { params: Promise<{ id: string }> }) {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const { id } = await params;
  const treatment = await getTreatment(member, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <>
      <PageHeader title={treatment.name}>
        <Link href="/dashboard/treatments" className="text-sm text-brand-700 underline">
          All treatments
        </Link>
      </PageHeader>
      <Card>
        <TreatmentForm
          action={updateTreatment}
          treatment={treatment}
          currency={member.clinic.currency}
          submitLabel="Save treatment"
        />
      </Card>
    </>
  );
}
