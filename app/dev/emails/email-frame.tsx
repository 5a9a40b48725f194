"use client";

import { useCallback, useState } from "react";

/**
 * An email's HTML in a sandboxed iframe, grown to the height of its content so the
 * footer is never cut off. allow-same-origin (without allow-scripts: the email still
 * runs no script) lets this page read the frame's height; its links open in a new tab.
 */
export function EmailFrame({ title, html }: { title: string; html: string }) {
  const [height, setHeight] = useState<number>();
  const fit = useCallback((frame: HTMLIFrameElement | null) => {
    if (!frame) return;
    const measure = () => {
      const root = frame.contentDocument?.documentElement;
      if (root) setHeight(root.scrollHeight);
    };
    // The srcDoc may have loaded before React attached this ref (a server-rendered frame).
    if (frame.contentDocument?.readyState === "complete") measure();
    frame.addEventListener("load", measure);
    return () => frame.removeEventListener("load", measure);
  }, []);
  return (
    <iframe
      ref={fit}
      title={title}
      srcDoc={html}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      style={height ? { height } : undefined}
      className="mt-3 h-[28rem] w-full rounded-md border border-stone-200 bg-white"
      data-testid="email-frame"
    />
  );
}
