"use client";

import { ErrorNotice } from "@/app/_ui/error-notice";
import { Card, PageHeader } from "../page-header";

/** A dashboard page that failed to render: the notice inside the dashboard, so its menu stays at hand. */
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <>
      <PageHeader title="Something went wrong" />
      <Card>
        <div className="space-y-4 text-sm text-stone-600">
          <ErrorNotice error={error} retry={retry} />
        </div>
      </Card>
    </>
  );
}
