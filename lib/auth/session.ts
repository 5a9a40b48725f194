import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { forbidden, notFound, redirect } from "next/navigation";
import type { MemberRole } from "@/lib/db/schema";
import { activeClinicId } from "./active-clinic";
import { isConfirmedOperator } from "./email-ownership";
import { auth } from "./auth";
import { chooseMembership, listMemberships, type ClinicMembership, type Member } from "./member";
import { homePathFor } from "./onboarding";

export type { Member } from "./member";

/** A signed-in deployment operator (see lib/auth/operators.ts); not necessarily a clinic member. */
export type Operator = { user: Member["user"] };

/**
 * The current session, or null when signed out. Cached per request. The cookie is read
 * from cookies(), not the request's headers: after a server action that gave this
 * browser a new session (a password change ends the old one), the page it re-renders
 * must see the new cookie, which only cookies() reflects.
 */
const getSession = cache(async () => {
  const requestHeaders = new Headers(await headers());
  const jar = (await cookies()).getAll();
  requestHeaders.set("cookie", jar.map(({ name, value }) => `${name}=${encodeURIComponent(value)}`).join("; "));
  return auth().api.getSession({ headers: requestHeaders });
});

/** The signed-in user, whether or not they belong to a clinic; null when signed out. */
export const getUser = cache(async (): Promise<Member["user"] | null> => {
  const session = await getSession();
  if (!session) return null;
  const { id, name, email } = session.user;
  return { id, name, email };
});

/** The id of this browser's session (the account page marks it among the account's devices); null when signed out. */
export const getSessionId = cache(async (): Promise<string | null> => (await getSession())?.session.id ?? null);

/** Whether the signed-in user's address is confirmed (the dashboard asks until it is). */
export const getEmailVerified = cache(async (): Promise<boolean> => {
  const session = await getSession();
  return session?.user.emailVerified ?? false;
});

/** Every clinic the signed-in user belongs to (the dashboard's clinic switcher); empty when signed out. */
export const getMemberships = cache(async (): Promise<ClinicMembership[]> => {
  const user = await getUser();
  return user ? listMemberships(user.id) : [];
});

/**
 * The current member, or null when signed out or not a member of any clinic: in the
 * clinic the active-clinic cookie names when it is one of theirs (./active-clinic.ts),
 * else the one they joined first. Cached per request: the layout and the page both
 * ask, the database answers once.
 */
export const getMember = cache(async (): Promise<Member | null> => {
  const user = await getUser();
  if (!user) return null;
  const chosen = chooseMembership(await getMemberships(), await activeClinicId());
  return chosen ? { user, ...chosen } : null;
});

/** The signed-in user, clinic or not (the create-your-clinic page); redirects to /sign-in when signed out. */
export async function requireUser(): Promise<Member["user"]> {
  const user = await getUser();
  if (!user) redirect("/sign-in");
  return user;
}

/**
 * The current member; redirects to /sign-in when signed out and a user of no clinic to
 * where they belong (lib/auth/onboarding.ts). A member whose role is not in `roles` gets
 * the dashboard's 403 page (app/(dashboard)/dashboard/forbidden.tsx): staff open the
 * calendar, not the pages that manage the clinic.
 */
export async function requireMember(options: { roles?: MemberRole[] } = {}): Promise<Member> {
  const member = await getMember();
  if (!member) redirect(await homePathFor(await requireUser()));
  if (options.roles && !options.roles.includes(member.role)) forbidden();
  return member;
}

/**
 * The current operator; redirects to /sign-in when signed out and answers 404 to
 * anyone else, clinic owners included, so /admin does not even reveal that it exists.
 */
export async function requireOperator(): Promise<Operator> {
  const user = await requireUser();
  if (!(await isConfirmedOperator(user))) notFound();
  return { user };
}
