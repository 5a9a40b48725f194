import Link from "next/link";
import { ActionForm, CheckboxField, Field, SubmitButton } from "@/app/_ui/form";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { listPractitioners } from "@/lib/clinic/practitioners";
import { createPractitioner } from "../../actions";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Practitioners" };

export default async function PractitionersPage() {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const people = await listPractitioners(member);
  return (
    <>
      <PageHeader title="Practitioners" description="Who clients can book, with their weekly hours and time off." />
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <Card>
          {people.length === 0 ? <p className="text-sm text-stone-600">No practitioners yet.</p> : null}
          <ul className="divide-y divide-stone-100">
            {people.map((p) => (
              <li key={p.id} className="flex items-center justify-between gap-4 py-3 text-sm">
                <div>
                  <div className="font-medium">
                    {p.name}{" "}
                    {p.active ? null : (
                      <span className="ml-1 rounded bg-stone-100 px-1.5 text-xs text-stone-600">inactive</span>
                    )}
                  </div>
                  {p.email ? <div className="text-stone-500">{p.email}</div> : null}
                </div>
                <Link href={`/dashboard/practitioners/${p.id}`} className="text-brand-700 underline">
                  Hours &amp; details<span className="sr-only"> for {p.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Add a practitioner">
          <ActionForm action={createPractitioner}>
            <Field name="name" label="Name" required />
            <Field
              name="email"
              label="Email (optional)"
              type="email"
              hint="The address they sign in with, if they have an account: the calendar opens on their column for them."
            />
            <CheckboxField name="active" label="Bookable online" defaultChecked />
            <SubmitButton>Add practitioner</SubmitButton>
          </ActionForm>
        </Card>
      </div>
    </>
  );
}
