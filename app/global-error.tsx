"use client";

import "./globals.css";
import { BODY_CLASS } from "./_ui/document";
import { ErrorNotice } from "./_ui/error-notice";
import { StatusPage } from "./_ui/status-page";

/** When the root layout itself fails: the same notice in a document of its own (it replaces the root layout). */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className={BODY_CLASS}>
        <StatusPage title="Something went wrong">
          <ErrorNotice error={error} retry={retry} />
        </StatusPage>
      </body>
    </html>
  );
}
