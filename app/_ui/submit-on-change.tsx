"use client";

import { useEffect, useRef } from "react";

/**
 * Put inside a GET form: with JavaScript, changing any of its fields submits it, so a
 * choice shows its result at once. Without JavaScript nothing changes: the form's own
 * button does the same.
 */
export function SubmitOnChange() {
  const marker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const form = marker.current?.closest("form");
    if (!form) return;
    const submit = () => form.requestSubmit();
    form.addEventListener("change", submit);
    return () => form.removeEventListener("change", submit);
  }, []);
  return <span ref={marker} hidden />;
}
