import Link from "next/link";
import { Card as CardFrame, CardTitle } from "@/components/ui/card";

export function PageHeader({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children?: React.ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-stone-600">{description}</p> : null}
      </div>
      {children}
    </div>
  );
}

/** A dashboard section: the shared card (components/ui/card) with an optional heading. */
export function Card({ title, children }: { title?: string; children: React.ReactNode }) {
  return (
    <CardFrame className="p-6">
      {title ? <CardTitle className="mb-4">{title}</CardTitle> : null}
      {children}
    </CardFrame>
  );
}

/** A page that stands in for one the member cannot see (not for their role, not found): why, and the way back. */
export function DashboardNotice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <p className="text-sm text-stone-600">{children}</p>
        <Link href="/dashboard" className="mt-4 inline-block text-sm text-brand-700 underline">
          Go to the calendar
        </Link>
      </Card>
    </>
  );
}
