import { ActionForm, Field, SelectField, SubmitButton } from "@/app/_ui/form";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { EMAIL_MAX } from "@/lib/clinic/form-fields";
import { formatClinicDateTime } from "@/lib/format/clinic-time";
import { ROLE_SUMMARY } from "@/lib/team/roles";
import { INVITATION_DAYS, listTeam } from "@/lib/team/invitations";
import { inviteMember, revokeInvitation } from "../../actions";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Team" };

const ROLE_OPTIONS = {
  staff: { value: "staff", label: "Staff: appointments only" },
  admin: { value: "admin", label: "Admin: also manages the clinic and team" },
};

export default async function TeamPage() {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const { members, invitations } = await listTeam(member);
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  // Only an owner hands out the admin role (lib/team/invitations.ts checks it too).
  const roles = member.role === "owner" ? [ROLE_OPTIONS.staff, ROLE_OPTIONS.admin] : [ROLE_OPTIONS.staff];
  return (
    <>
      <PageHeader
        title="Team"
        description={`Who can sign in to this clinic. Staff ${ROLE_SUMMARY.staff}; owners and admins ${ROLE_SUMMARY.admin}.`}
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <div className="min-w-0 space-y-6">
          <Card title="Members">
            <Table data-testid="team-members">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Email</TableHead>
                  <TableHead>Role</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {members.map((person) => (
                  <TableRow key={person.userId}>
                    <th scope="row" className="py-3 pr-4 font-medium">
                      {person.name}
                      {person.userId === member.user.id ? (
                        <span className="font-normal text-stone-500"> (you)</span>
                      ) : null}
                    </th>
                    <TableCell className="break-all">{person.email}</TableCell>
                    <TableCell>
                      <Badge tone={person.role === "staff" ? "neutral" : "brand"}>{person.role}</Badge>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Card>
          <Card title="Pending invitations">
            {invitations.length === 0 ? (
              <p className="text-sm text-stone-600">No invitations waiting for an answer.</p>
            ) : (
              <Table data-testid="team-invitations">
                <TableHeader>
                  <TableRow>
                    <TableHead>Email</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead>Expires</TableHead>
                    <TableHead>
                      <span className="sr-only">Revoke</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {invitations.map((invitation) => (
                    <TableRow key={invitation.id}>
                      <th scope="row" className="py-3 pr-4 font-medium break-all">
                        {invitation.email}
                      </th>
                      <TableCell>{invitation.role}</TableCell>
                      <TableCell className="whitespace-nowrap">
                        {invitation.expired ? (
                          <Badge tone="warning">expired</Badge>
                        ) : (
                          formatClinicDateTime(invitation.expiresAt, clock)
                        )}
                      </TableCell>
                      <TableCell>
                        <ActionForm action={revokeInvitation} className="inline">
                          <input type="hidden" name="id" value={invitation.id} />
                          <SubmitButton variant="danger">
                            Revoke<span className="sr-only"> the invitation for {invitation.email}</span>
                          </SubmitButton>
                        </ActionForm>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Card>
        </div>
        <Card title="Invite someone">
          <ActionForm action={inviteMember}>
            <Field name="email" label="Email" type="email" autoComplete="off" maxLength={EMAIL_MAX} required />
            <SelectField name="role" label="Role" options={roles} defaultValue="staff" />
            <p className="text-sm text-stone-600">
              They get an email with a link that works for {INVITATION_DAYS} days. An invitation you revoke stops
              working at once.
            </p>
            <SubmitButton>Send invitation</SubmitButton>
          </ActionForm>
        </Card>
      </div>
    </>
  );
}
