import { confirmEmailChangeSchema, findEmailChange } from "@/lib/auth/email-change";
import { confirmEmailChangeAction } from "../actions";
import { EmailLinkPage } from "../email-link-page";

const TITLE = "Confirm your new email address";
export const metadata = { title: TITLE };

type SearchParams = Promise<{ token?: string | string[] }>;

/** Where the link emailed to a new address lands (`?token=`); its button calls confirmEmailChange. */
export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: SearchParams }) {
  const parsed = confirmEmailChangeSchema.safeParse({ token: (await searchParams).token });
  const change = parsed.success ? await findEmailChange(parsed.data.token) : null;
  return (
    <EmailLinkPage
      title={TITLE}
      token={change ? parsed.data?.token : undefined}
      action={confirmEmailChangeAction}
      button="Use this address"
      invalid="This link has expired, was already used, or is incomplete. Ask for a new one on your account page."
      footer={{ href: "/dashboard/account", label: "Your account" }}
    >
      {change && (
        <p className="mt-1 text-sm text-stone-600">
          Sign in as <strong>{change.to}</strong> from now on, instead of {change.from}.
        </p>
      )}
    </EmailLinkPage>
  );
}
