import { permanentRedirect } from "next/navigation";

/** The page was "Billing" before it became Reports; old links and the summary emails still land. */
export default function BillingRedirect() {
  permanentRedirect("/dashboard/reports");
}
