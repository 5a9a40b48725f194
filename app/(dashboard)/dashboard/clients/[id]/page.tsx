import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm, CheckboxField, Field, SubmitButton, TextareaField } from "@/app/_ui/form";
import { buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { formatMoney } from "@/lib/billing/money";
import { clinicMoveRefusal } from "@/lib/booking/rules";
import { CLIENT_HISTORY_MAX, clientAppointments, clientFigures, getClient } from "@/lib/clinic/clients";
import { NotFoundError } from "@/lib/clinic/errors";
import { CLIENT_PHONE_MAX, DESCRIPTION_MAX, EMAIL_MAX, NAME_MAX } from "@/lib/clinic/form-fields";
import { formatClinicDayOfYear, formatClinicTimeRange } from "@/lib/format/clinic-time";
import { eraseClient, updateClient } from "../../../actions";
import { Card, PageHeader } from "../../../page-header";
import { CancelForm, ClientNote, MoveLink, StatusBadge } from "../../_calendar/appointment-card";

export const metadata = { title: "Client" };

const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

export default async function ClientPage({ params }: { params: Promise<{ id: string }> }) {
  const member = await requireMember();
  const { id } = await params;
  const client = await getClient(member, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  // The figures count every appointment; the table shows the latest CLIENT_HISTORY_MAX.
  const [appointments, figures] = await Promise.all([clientAppointments(client), clientFigures(client)]);
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  const now = new Date();
  return (
    <>
      <PageHeader
        title={client.name}
        description={[
          `Client since ${formatClinicDayOfYear(client.createdAt, clock)}`,
          counted(figures.appointments, "appointment"),
          counted(figures.noShows, "no-show"),
        ].join(" · ")}
      >
        <div className="flex items-center gap-4">
          <Link href="/dashboard/clients" className="text-sm text-brand-700 underline">
            All clients
          </Link>
          {client.erasedAt ? null : (
            <Link href={`/dashboard/bookings/new?client=${client.id}`} className={buttonVariants()}>
              Book an appointment
            </Link>
          )}
        </div>
      </PageHeader>
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Card title="Appointments">
          {appointments.length === 0 ? (
            <p className="text-sm text-stone-600">No appointments.</p>
          ) : (
            <Table data-testid="client-appointments">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Treatment</TableHead>
                  <TableHead>With</TableHead>
                  <TableHead>Price</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {appointments.map((a) => (
                  <TableRow key={a.id}>
                    <th scope="row" className="py-3 pr-4 font-medium whitespace-nowrap">
                      {formatClinicDayOfYear(a.startsAt, clock)}
                      <div className="font-normal text-stone-500">
                        {formatClinicTimeRange(a.startsAt, a.endsAt, clock)}
                      </div>
                    </th>
                    <TableCell>
                      {a.treatment}
                      <ClientNote note={a.clientNote} className="mt-1 max-w-xs text-xs text-stone-600" />
                    </TableCell>
                    <TableCell>{a.practitioner}</TableCell>
                    <TableCell>{formatMoney(a.priceMinor, a.currency, member.clinic.locale)}</TableCell>
                    <TableCell>
                      <StatusBadge status={a.status} />
                      {a.status === "cancelled" ? (
                        <div className="mt-1 text-xs text-stone-500">
                          by the {a.cancelledBy ?? "clinic"}
                          {a.cancelReason ? `: ${a.cancelReason}` : ""}
                        </div>
                      ) : null}
                      {clinicMoveRefusal(a, now) ? null : (
                        <div className="mt-2 flex min-w-60 flex-wrap gap-2">
                          <MoveLink bookingId={a.id} />
                          <CancelForm bookingId={a.id} />
                        </div>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {appointments.length === CLIENT_HISTORY_MAX ? (
            <p className="mt-3 text-sm text-stone-600">The latest {CLIENT_HISTORY_MAX} appointments.</p>
          ) : null}
        </Card>
        {client.erasedAt ? (
          <Card title="Details erased">
            <p className="text-sm text-stone-600">
              Erased on {formatClinicDayOfYear(client.erasedAt, clock)} at the client&apos;s request. Their appointments
              stay in the clinic&apos;s records and reports, without their name, email, phone or notes.
            </p>
          </Card>
        ) : (
          <div className="space-y-6">
            <Card title="Details and notes">
              <ActionForm action={updateClient} className="space-y-4">
                <input type="hidden" name="id" value={client.id} />
                <Field name="name" label="Name" defaultValue={client.name} maxLength={NAME_MAX} required />
                <Field
                  name="email"
                  label="Email"
                  type="email"
                  defaultValue={client.email}
                  maxLength={EMAIL_MAX}
                  hint="Confirmations and reminders not yet sent go here."
                  required
                />
                <Field
                  name="phone"
                  label="Phone"
                  type="tel"
                  defaultValue={client.phone ?? ""}
                  maxLength={CLIENT_PHONE_MAX}
                />
                <TextareaField
                  name="notes"
                  label="Notes"
                  rows={4}
                  defaultValue={client.notes ?? ""}
                  maxLength={DESCRIPTION_MAX}
                  hint="For the clinic only (allergies, preferences); the client never sees them."
                />
                <SubmitButton>Save client</SubmitButton>
              </ActionForm>
            </Card>
            {MANAGER_ROLES.includes(member.role) ? (
              <Card title="Erase this client">
                <ActionForm action={eraseClient} className="space-y-4">
                  <input type="hidden" name="id" value={client.id} />
                  <p className="text-sm text-stone-600">
                    On the client&apos;s request: their name, email and phone are removed everywhere Slotline keeps
                    them, including sent emails. Their past appointments stay, anonymous. Cancel any appointment to come
                    first.
                  </p>
                  <CheckboxField name="confirm" label="I understand this cannot be undone" />
                  <SubmitButton variant="danger">Erase client</SubmitButton>
                </ActionForm>
              </Card>
            ) : null}
          </div>
        )}
      </div>
    </>
  );
}
