"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A read-only value to copy (a link to share): focusing it selects it all, and the button
 * copies it where the Clipboard API is allowed. Without JavaScript the text can still be selected.
 */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-stone-700">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-stone-300 bg-stone-50 px-3 py-2 font-mono text-sm"
        />
        <Button
          type="button"
          variant="secondary"
          // No clipboard (plain http) or a refusal: the field is still there to select and copy by hand.
          onClick={() =>
            navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
