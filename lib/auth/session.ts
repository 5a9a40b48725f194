import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import type { MemberRole } from "@/lib/db/schema";
import { auth } from "./auth";
import { memberForUser, type Member } from "./member";
import { homePathFor } from "./onboarding";
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

/** The signed-in user, whether or not they belong to a clinic; null when signed out. */
export const getUser = cache(async (): Promise<Member["user"] | null> => {
  const session = await getSession();
  if (!session) return null;
  const { id, name, email } = session.user;
  return { id, name, email };
});

/** The signed-in user, clinic or not (the create-your-clinic page); redirects to /sign-in when signed out. */
export async function requireUser(): Promise<Member["user"]> {
  const user = await getUser();
  if (!user) redirect("/sign-in");
  return user;
}

/**
 * The current member; redirects to /sign-in when signed out, a user of no clinic to
 * where they belong (lib/auth/onboarding.ts), and answers 404 when the member's role
 * is not in `roles` (so /admin does not even reveal that it exists).
 */
export async function requireMember(options: { roles?: MemberRole[] } = {}): Promise<Member> {
  const member = await getMember();
  if (!member) redirect(await homePathFor(await requireUser()));
  if (options.roles && !options.roles.includes(member.role)) notFound();
  return member;
}

/**
 * The current operator; redirects to /sign-in when signed out and answers 404 to
 * anyone else, clinic owners included, as requireMember does for roles.
 */
export async function requireOperator(): Promise<Operator> {
  const user = await requireUser();
  if (!isOperator(user.email)) notFound();
  return { user };
}
