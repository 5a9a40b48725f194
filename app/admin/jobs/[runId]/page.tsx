import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requireOperator } from "@/lib/auth/session";
import { excerpt } from "@/lib/clinic/form-fields";
import { activeDriver } from "@/lib/jobs/driver";
import { cancelRunAction, replayRunAction, retryRunAction } from "../actions";
import { formatDuration, formatTime, StatusBadge } from "../format";

export const dynamic = "force-dynamic";

const json = (value: unknown) => JSON.stringify(value, null, 2);

export async function generateMetadata({ params }: { params: Promise<{ runId: string }> }) {
  return { title: `Run ${(await params).runId.slice(0, 8)}` };
}

export default async function RunPage({
  params,
  searchParams,
}: {
  params: Promise<{ runId: string }>;
  searchParams: Promise<{ notice?: string }>;
}) {
  await requireOperator();
  const { runId } = await params;
  const { notice: rawNotice } = await searchParams;
  // Only the actions' redirects set it, but the URL is anyone's to edit.
  const notice = typeof rawNotice === "string" ? excerpt(rawNotice, 200) : null;
  const id = z.uuid().safeParse(runId);
  const detail = id.success ? await activeDriver().runs.show(id.data) : null;
  if (!detail) notFound();
  const { run, event, steps, children } = detail;
  const canCancel = ["queued", "sleeping", "running"].includes(run.status);
  const canRetry = ["failed", "cancelled"].includes(run.status);

  return (
    <div className="space-y-6">
      <Link href="/admin/jobs" className="text-sm underline">
        ← All runs
      </Link>
      {notice ? (
        <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">
          {notice}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-xl font-semibold">{run.jobId}</h1>
        <StatusBadge status={run.status} />
        <div className="ml-auto flex gap-2">
          {canRetry ? <ActionButton action={retryRunAction.bind(null, run.id)} label="Retry" /> : null}
          <ActionButton action={replayRunAction.bind(null, run.id)} label="Replay" />
          {canCancel ? <ActionButton action={cancelRunAction.bind(null, run.id)} label="Cancel" danger /> : null}
        </div>
      </div>

      <dl className="grid gap-x-6 gap-y-2 rounded-xl border border-stone-200 bg-white p-4 text-sm sm:grid-cols-2">
        <Item label="Run">{run.id}</Item>
        <Item label="Attempt">
          {run.attempt} of {run.maxAttempts}
        </Item>
        <Item label="Created">{formatTime(run.createdAt)}</Item>
        <Item label="Run at">{formatTime(run.runAt)}</Item>
        <Item label="Started">{formatTime(run.startedAt)}</Item>
        <Item label="Finished">{formatTime(run.finishedAt)}</Item>
        {run.cronSlot ? <Item label="Cron slot">{formatTime(run.cronSlot)}</Item> : null}
        {run.lockedBy ? <Item label="Held by">{`${run.lockedBy} until ${formatTime(run.leaseExpiresAt)}`}</Item> : null}
        {run.parentRunId ? (
          <Item label="Made from">
            <Link className="underline" href={`/admin/jobs/${run.parentRunId}`}>
              {run.parentRunId}
            </Link>
          </Item>
        ) : null}
      </dl>

      {run.status === "cancelled" && run.cancelReason ? (
        <section className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm">
          <h2 className="font-semibold text-amber-900">Why it was cancelled</h2>
          <p className="mt-1 text-amber-900">{run.cancelReason}</p>
        </section>
      ) : null}

      {run.error ? (
        <section className="rounded-xl border border-red-200 bg-red-50 p-4">
          <h2 className="font-semibold text-red-800">
            {run.error.name}: {run.error.message}
          </h2>
          {run.error.stack ? <pre className="mt-2 overflow-x-auto text-xs text-red-900">{run.error.stack}</pre> : null}
        </section>
      ) : null}

      <section className="rounded-xl border border-stone-200 bg-white p-4">
        <h2 className="font-semibold">Event</h2>
        {event ? (
          <>
            <p className="mt-1 text-sm">
              <span className="font-mono">{event.name}</span> · {event.id} · {formatTime(event.ts)}
            </p>
            <pre className="mt-2 overflow-x-auto rounded bg-stone-50 p-2 text-xs">{json(event.data)}</pre>
          </>
        ) : (
          <p className="mt-1 text-sm">inngest/scheduled.timer for the slot {formatTime(run.cronSlot)}</p>
        )}
      </section>

      <section className="rounded-xl border border-stone-200 bg-white p-4">
        <h2 className="font-semibold">Steps</h2>
        {steps.length === 0 ? <p className="mt-1 text-sm text-stone-500">No step has run yet.</p> : null}
        <ol className="mt-2 space-y-3">
          {steps.map((step) => (
            <li key={step.id} className="border-l-2 border-stone-200 pl-3 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono font-medium">{step.stepId}</span>
                <span className="text-stone-500">{step.op}</span>
                <StatusBadge status={step.status} />
                <span className="text-stone-500">
                  attempt {step.attempt} · {formatTime(step.startedAt)} ·{" "}
                  {step.status === "sleeping" ? `until ${formatTime(step.wakeAt)}` : formatDuration(step.durationMs)}
                </span>
              </div>
              {step.error ? (
                <pre className="mt-1 overflow-x-auto rounded bg-red-50 p-2 text-xs text-red-900">
                  {json(step.error)}
                </pre>
              ) : step.output !== null ? (
                <pre className="mt-1 overflow-x-auto rounded bg-stone-50 p-2 text-xs">{json(step.output)}</pre>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {run.output !== null && run.output !== undefined ? (
        <section className="rounded-xl border border-stone-200 bg-white p-4">
          <h2 className="font-semibold">Output</h2>
          <pre className="mt-2 overflow-x-auto rounded bg-stone-50 p-2 text-xs">{json(run.output)}</pre>
        </section>
      ) : null}

      {children.length ? (
        <section className="rounded-xl border border-stone-200 bg-white p-4 text-sm">
          <h2 className="font-semibold">Runs made from this one</h2>
          <ul className="mt-2 space-y-1">
            {children.map((child) => (
              <li key={child.id}>
                <Link className="font-mono underline" href={`/admin/jobs/${child.id}`}>
                  {child.jobId} {child.id.slice(0, 8)}
                </Link>{" "}
                <StatusBadge status={child.status} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-24 shrink-0 text-stone-500">{label}</dt>
      <dd className="font-mono text-xs leading-5">{children}</dd>
    </div>
  );
}

function ActionButton({ action, label, danger }: { action: () => Promise<void>; label: string; danger?: boolean }) {
  return (
    <form action={action}>
      <button
        type="submit"
        className={`rounded-md px-3 py-1.5 text-sm font-medium ${danger ? "bg-red-600 text-white hover:bg-red-700" : "border border-stone-300 bg-white hover:bg-stone-50"}`}
      >
        {label}
      </button>
    </form>
  );
}
