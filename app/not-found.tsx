import Link from "next/link";
import { StatusPage } from "./_ui/status-page";

export const metadata = { title: "Page not found" };

/** Any address nothing answers, and every notFound() outside the dashboard (a clinic's booking page that does not exist). */
export default function NotFound() {
  return (
    <StatusPage title="Page not found">
      <p>
        Nothing is at this address. If a clinic gave you a booking link, check it against the one they sent, or ask them
        for it again.
      </p>
      <Link href="/" className="inline-block text-brand-700 underline">
        Go to the home page
      </Link>
    </StatusPage>
  );
}
