"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/**
 * What an error boundary shows: the page could not be shown, a button that fetches it
 * again, and the error's digest, which names the error in the server's log (in production
 * the browser never gets a server error's message). It names the tab too: error boundaries
 * are client components, which cannot export metadata.
 */
export function ErrorNotice({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => console.error(error), [error]);
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : undefined;
  return (
    <>
      <title>Something went wrong · Slotline</title>
      <p>
        This page could not be shown. Try again; if it keeps happening, tell whoever runs this Slotline
        {digest ? ", with the reference below" : ""}.
      </p>
      {digest ? (
        <p>
          Reference: <code className="rounded bg-stone-100 px-1.5 py-0.5 font-mono text-xs">{digest}</code>
        </p>
      ) : null}
      <Button type="button" onClick={retry}>
        Try again
      </Button>
    </>
  );
}
