import { findEmailChangeToUndo, undoEmailChangeSchema } from "@/lib/auth/email-change";
import { ACCOUNT_CLOCK, formatClinicDateTime } from "@/lib/format/clinic-time";
import { undoEmailChangeAction } from "../actions";
import { EmailLinkPage } from "../email-link-page";

const TITLE = "Give your account back to this address";
export const metadata = { title: TITLE };

type SearchParams = Promise<{ token?: string | string[] }>;

/** Where the link in a change notice lands (`?token=`), at the address the account left; its button calls undoEmailChange. */
export default async function UndoEmailChangePage({ searchParams }: { searchParams: SearchParams }) {
  const parsed = undoEmailChangeSchema.safeParse({ token: (await searchParams).token });
  const change = parsed.success ? await findEmailChangeToUndo(parsed.data.token) : null;
  return (
    <EmailLinkPage
      title={TITLE}
      token={change ? parsed.data?.token : undefined}
      action={undoEmailChangeAction}
      button="Give my account back"
      invalid="This link has expired, was already used, or is incomplete."
      footer={{ href: "/sign-in", label: "Sign in" }}
    >
      {change && (
        <>
          <p className="mt-1 text-sm text-stone-600">
            Your account was moved from <strong>{change.from}</strong> to {change.to} on{" "}
            {formatClinicDateTime(new Date(change.changedAt), ACCOUNT_CLOCK)}.
          </p>
          <p className="mt-3 text-sm text-stone-600">
            This moves it back to {change.from}, signs it out everywhere, and sends {change.from} a link to set a new
            password.
          </p>
        </>
      )}
    </EmailLinkPage>
  );
}
