import Link from "next/link";
import { ActionForm, SubmitButton } from "@/app/_ui/form";
import { resendConfirmation } from "./actions";

/**
 * Shown above every dashboard page until the user confirms their address: what waits on
 * it, and a way to have the link sent again.
 */
export function ConfirmEmailBanner({ email }: { email: string }) {
  return (
    // Named without "email": a form's Email field stays the only thing getByLabel("Email") finds.
    <section aria-label="Unconfirmed account" className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm sm:px-6">
        <p className="min-w-0 flex-1 text-amber-900">
          <strong className="font-semibold">Confirm your email address.</strong> We sent a link to{" "}
          <span className="break-all">{email}</span>. Until you open it, we send it no monthly billing summaries and no
          notices of cancelled or moved appointments.
          {/* Without Resend, outside production, "sent" means the dev outbox, where the link is. */}
          {process.env.NODE_ENV !== "production" && !process.env.RESEND_API_KEY ? (
            <>
              {" "}
              <Link href="/dev/emails" className="font-medium underline">
                Open the dev outbox
              </Link>
              .
            </>
          ) : null}
        </p>
        <ActionForm action={resendConfirmation} className="flex max-w-sm flex-col items-start gap-2 sm:items-end">
          <SubmitButton variant="secondary">Send the link again</SubmitButton>
        </ActionForm>
      </div>
    </section>
  );
}
