"use client";

import { ErrorNotice } from "./_ui/error-notice";
import { StatusPage } from "./_ui/status-page";

/** A page that failed to render (the database unreachable, a bug): said plainly, with a way to try again. */
export default function Error({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <StatusPage title="Something went wrong">
      <ErrorNotice error={error} retry={retry} />
    </StatusPage>
  );
}
