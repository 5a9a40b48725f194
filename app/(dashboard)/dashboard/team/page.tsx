import { controlClass } from "@/app/_ui/control-class";
import { ActionForm, Field, SelectField, SubmitButton } from "@/app/_ui/form";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MANAGER_ROLES } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { cn } from "@/lib/cn";
import { EMAIL_MAX } from "@/lib/clinic/form-fields";
import { formatClinicDateTime } from "@/lib/format/clinic-time";
import { handlesInvitationFor, memberRefusal, ROLE_SUMMARY } from "@/lib/team/roles";
import { INVITATION_DAYS, listTeam, resendInvitationAction } from "@/lib/team/invitations";
import { removeMemberAction } from "@/lib/team/members";
import { changeMemberRole, inviteMember, removeMember, resendInvitation, revokeInvitation } from "../../actions";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Team" };

const ROLE_OPTIONS = {
  staff: { value: "staff", label: "Staff: appointments only" },
  admin: { value: "admin", label: "Admin: also manages the clinic and team" },
} as const;

/** One button acting on one row (a member, an invitation): a form posting the row's id. */
function RowButton({
  action,
  name,
  value,
  variant,
  children,
}: {
  action: React.ComponentProps<typeof ActionForm>["action"];
  name: string;
  value: string;
  variant: "secondary" | "danger";
  children: React.ReactNode;
}) {
  return (
    <ActionForm action={action} className="inline">
      <input type="hidden" name={name} value={value} />
      <SubmitButton variant={variant}>{children}</SubmitButton>
    </ActionForm>
  );
}

// What an action that redirects here (app/(dashboard)/actions.ts) did.
const DONE: Record<string, string | undefined> = {
  removed: removeMemberAction.success,
  resent: resendInvitationAction.success,
};

export default async function TeamPage({ searchParams }: { searchParams: Promise<{ done?: string | string[] }> }) {
  const member = await requireMember({ roles: MANAGER_ROLES });
  const { done } = await searchParams;
  const notice = typeof done === "string" ? DONE[done] : undefined;
  const { members, invitations } = await listTeam(member);
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  // Only an owner hands out the admin role (the rule lib/team/invitations.ts refuses by).
  const roles = [ROLE_OPTIONS.staff, ROLE_OPTIONS.admin].filter((option) =>
    handlesInvitationFor(member.role, option.value),
  );
  return (
    <>
      <PageHeader
        title="Team"
        description={`Who can sign in to this clinic. Staff ${ROLE_SUMMARY.staff}; owners and admins ${ROLE_SUMMARY.admin}.`}
      />
      {notice ? (
        <p role="status" className="mb-6 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">
          {notice}
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <div className="min-w-0 space-y-6">
          <Card title="Members">
            <Table data-testid="team-members">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Email</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>
                    <span className="sr-only">Manage</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {members.map((person) => (
                  <TableRow key={person.userId} data-testid={`member-${person.email}`}>
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
                    <TableCell>
                      {memberRefusal({ userId: member.user.id, role: member.role }, person) === null ? (
                        <div className="flex flex-wrap items-start gap-2">
                          {member.role === "owner" ? (
                            <ActionForm action={changeMemberRole} className="flex items-center gap-2">
                              <input type="hidden" name="userId" value={person.userId} />
                              <label htmlFor={`role-${person.userId}`} className="sr-only">
                                Role for {person.name}
                              </label>
                              <select
                                id={`role-${person.userId}`}
                                name="role"
                                defaultValue={person.role}
                                className={cn(controlClass, "mt-0 w-auto")}
                              >
                                <option value="staff">staff</option>
                                <option value="admin">admin</option>
                              </select>
                              <SubmitButton variant="secondary">
                                Change<span className="sr-only"> the role of {person.name}</span>
                              </SubmitButton>
                            </ActionForm>
                          ) : null}
                          <RowButton action={removeMember} name="userId" value={person.userId} variant="danger">
                            Remove<span className="sr-only"> {person.name} from the team</span>
                          </RowButton>
                        </div>
                      ) : null}
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
                      <span className="sr-only">Resend or revoke</span>
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
                        {handlesInvitationFor(member.role, invitation.role) ? (
                          <div className="flex flex-wrap gap-2">
                            <RowButton action={resendInvitation} name="id" value={invitation.id} variant="secondary">
                              Resend<span className="sr-only"> the invitation for {invitation.email}</span>
                            </RowButton>
                            <RowButton action={revokeInvitation} name="id" value={invitation.id} variant="danger">
                              Revoke<span className="sr-only"> the invitation for {invitation.email}</span>
                            </RowButton>
                          </div>
                        ) : null}
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
              working at once; one you resend gets a new link, and the old one stops working.
            </p>
            <SubmitButton>Send invitation</SubmitButton>
          </ActionForm>
        </Card>
      </div>
    </>
  );
}
