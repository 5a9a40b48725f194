import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import type { MemberRole } from "@/lib/db/schema";
import { auth } from "./auth";
import { memberForUser, type Member } from "./member";
import { isOperator } from "./operators";

export type { Member } from "./member";

/** A signed-in deployment operator (see lib/auth/operators.ts); not necessarily a clinic member. */
export type Operator = { user: Member["user"] };

/** The current session, or null when signed out. Cached per request. */
const getSession = cache(async () => auth().api.getSession({ headers: await headers() }));

/**
 * The current member, or null when signed out or not a member of any clinic.
 * Cached per request: the layout and the page both ask, the database answers once.
 */
export const getMember = cache(async (): Promise<Member | null> => {
  const session = await getSession();
  if (!session) return null;
  return memberForUser(session.user);
});

/**
 * The current member; redirects to /sign-in when signed out and answers 404 when the
 * member's role is not in `roles` (so /admin does not even reveal that it exists).
 */
export async function requireMember(options: { roles?: MemberRole[] } = {}): Promise<Member> {
  const member = await getMember();
  if (!member) redirect("/sign-in");
  if (options.roles && !options.roles.includes(member.role)) notFound();
  return member;
}

/**
 * The current operator; redirects to /sign-in when signed out and answers 404 to
 * anyone else, clinic owners included, as requireMember does for roles.
 */
export async function requireOperator(): Promise<Operator> {
  const session = await getSession();
  if (!session) redirect("/sign-in");
  if (!isOperator(session.user.email)) notFound();
  const { id, name, email } = session.user;
  return { user: { id, name, email } };
}
