import Link from "next/link";
import { notFound } from "next/navigation";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/clinic/errors";
import { ActionForm, CheckboxField, SubmitButton } from "@/app/_ui/form";
import { listPractitioners } from "@/lib/clinic/practitioners";
import { getTreatment, OFFERED_BY, treatmentPractitioners } from "@/lib/clinic/treatments";
import { setTreatmentPractitioners, updateTreatment } from "../../../actions";
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
  const [people, offeredBy] = await Promise.all([listPractitioners(member), treatmentPractitioners(treatment)]);
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
      <div className="mt-6">
        <Card title="Who offers it">
          {people.length === 0 ? (
            <p className="text-sm text-stone-600">No practitioners yet.</p>
          ) : (
            <ActionForm action={setTreatmentPractitioners}>
              <input type="hidden" name="id" value={treatment.id} />
              <p className="text-sm text-stone-600">
                Clients can book it only with the practitioners ticked. None ticked: every practitioner offers it.
              </p>
              <fieldset className="space-y-2">
                <legend className="sr-only">Practitioners who offer {treatment.name}</legend>
                {people.map((person) => (
                  <CheckboxField
                    key={person.id}
                    name={`${OFFERED_BY}${person.id}`}
                    label={person.name}
                    defaultChecked={offeredBy.includes(person.id)}
                  />
                ))}
              </fieldset>
              <SubmitButton>Save who offers it</SubmitButton>
            </ActionForm>
          )}
        </Card>
      </div>
    </>
  );
}
