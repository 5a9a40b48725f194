import { notFound } from "next/navigation";
import { listOutbox } from "@/lib/email/outbox";
import { EmailFrame } from "./email-frame";

export const metadata = { title: "Dev emails" };
// Read the table on every request, never at build time.
export const dynamic = "force-dynamic";

/**
 * Every email Slotline "sent" without RESEND_API_KEY, newest first. Development only:
 * in production the outbox may hold real clients' emails, so this page does not exist.
 */
export default async function DevEmailsPage() {
  if (process.env.NODE_ENV === "production") notFound();
  const emails = await listOutbox(50);
  return (
    <main className="mx-auto max-w-5xl px-6 py-8">
      <h1 className="text-2xl font-semibold tracking-tight">Dev outbox</h1>
      <p className="mt-1 text-sm text-stone-600">
        Emails are stored in the <code>email_outbox</code> table while <code>RESEND_API_KEY</code> is unset. Newest
        first, latest 50.
      </p>
      {emails.length === 0 ? (
        <p className="mt-6 text-sm text-stone-600">Nothing sent yet. Book an appointment to see a confirmation here.</p>
      ) : null}
      <ol className="mt-6 space-y-6">
        {emails.map((email) => (
          <li key={email.id} className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
              <h2 className="font-semibold">{email.subject}</h2>
              <time dateTime={email.createdAt.toISOString()} className="text-stone-500">
                {email.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
              </time>
            </div>
            <p className="text-sm text-stone-600">
              To {email.recipient} · <code className="text-xs">{email.idempotencyKey}</code>
            </p>
            {email.attachments.length > 0 ? (
              <p className="text-sm text-stone-600">
                Attached:{" "}
                {email.attachments.map((file) => (
                  <a
                    key={file.filename}
                    download={file.filename}
                    href={`data:${file.contentType.replace(/\s+/g, "")};base64,${file.content}`}
                    className="mr-2 underline"
                  >
                    {file.filename}
                  </a>
                ))}
              </p>
            ) : null}
            <EmailFrame title={`Email: ${email.subject}`} html={email.html} />
            <details className="mt-2 text-sm">
              <summary className="cursor-pointer text-stone-600">Plain text</summary>
              <pre className="mt-2 whitespace-pre-wrap text-xs">{email.text}</pre>
            </details>
          </li>
        ))}
      </ol>
    </main>
  );
}
