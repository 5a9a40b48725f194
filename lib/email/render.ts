import "server-only";
import type { ReactElement } from "react";
import { plainTextSelectors } from "@react-email/render";
import { compile } from "html-to-text";

const XHTML_DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

// React Email's own plain-text rules, compiled once: its toPlainText compiles them on every call.
const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors });

// Loaded when first used, as React Email loads it, so no React Server Components graph
// imports it; kept, since every import() call costs a trip through the module loader.
let reactDomServer: Promise<typeof import("react-dom/server")> | undefined;

/**
 * An email's HTML and plain text: what React Email's `render` and `toPlainText` give,
 * without the markers of React's streaming renderer, for about half the CPU (it counts
 * in a month close: one render per owner of every clinic). The templates are
 * synchronous, so React's one-pass static renderer is enough; `render` streams, to wait
 * for Suspense they never use. tests/unit/email-templates.test.tsx holds every template
 * to React Email's output.
 */
export async function renderEmail(element: ReactElement): Promise<{ html: string; text: string }> {
  const { renderToStaticMarkup } = await (reactDomServer ??= import("react-dom/server"));
  const html = XHTML_DOCTYPE + renderToStaticMarkup(element);
  return { html, text: toPlainText(html) };
}
