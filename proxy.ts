import { NextResponse, type NextRequest } from "next/server";
import { rememberCalendarChoice } from "@/lib/calendar/remember-choice";
import { formatBytes, SERVER_ACTION_BODY_LIMIT } from "@/lib/http/body-limit";

/**
 * Two jobs. The calendar's "Whose appointments" is remembered in a cookie
 * (lib/calendar/remember-choice.ts). Server actions over the body limit are refused: Next
 * itself would throw while reading such a body and answer 500; this answers 413 with a
 * sentence before anything is read. Forms check the size before sending
 * (app/_ui/form.tsx), so this meets only pages without JavaScript and hand-made requests.
 * A body sent without Content-Length still meets Next's own limit (next.config.ts).
 */
export function proxy(request: NextRequest) {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (request.method !== "POST" || length <= SERVER_ACTION_BODY_LIMIT)
    return rememberCalendarChoice(request, NextResponse.next());
  return new NextResponse(
    `This form was too large to send (${formatBytes(length)}; the most is ${formatBytes(SERVER_ACTION_BODY_LIMIT)}). Go back, shorten what you entered and send it again.`,
    { status: 413, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}

// Form posts to pages (server actions; the API routes keep their own limits), and the
// calendar when its address says whose appointments to show.
export const config = {
  matcher: [
    // Not `has: query`: an empty value ("Everyone") would not match it.
    { source: "/dashboard" },
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "next-action" }] },
    {
      source: "/((?!api/|_next/).*)",
      has: [
        { type: "header", key: "content-type", value: "(multipart/form-data|application/x-www-form-urlencoded).*" },
      ],
    },
  ],
};
