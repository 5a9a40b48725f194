import Link from "next/link";
import { z } from "zod";
import { requireOperator } from "@/lib/auth/session";
import { excerpt, identifier } from "@/lib/clinic/form-fields";
import { adviseOnQueue } from "@/lib/jobs/advisor/advise";
import { activeDriver } from "@/lib/jobs/driver";
import { RUN_STATUSES } from "@/lib/jobs/run-ledger";
import { AdvisorPanel } from "./advisor-panel";
import { formatDuration, formatTime, StatusBadge } from "./format";

export const dynamic = "force-dynamic";

const filters = z.object({
  status: z.enum(RUN_STATUSES).optional().catch(undefined),
  job: identifier("job id", 100).optional().catch(undefined),
  notice: z.string().optional().catch(undefined),
});

export const metadata = { title: "Jobs" };

export default async function JobsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireOperator();
  const { status, job, notice } = filters.parse(await searchParams);
  const driver = activeDriver();
  const [advice, stats, runs] = await Promise.all([
    adviseOnQueue(),
    driver.runs.stats(),
    driver.runs.list({ status, jobId: job, limit: 100 }),
  ]);
  const jobIds = stats.byJob.map((entry) => entry.jobId);
  const last = stats.last30Days;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Background jobs</h1>
        <p className="mt-1 text-sm text-stone-600">
          The Postgres job queue of this deployment (all clinics). The same figures: <code>npm run jobs -- stats</code>.
          {stats.estimated
            ? ` Counts above ${stats.exactUpTo.toLocaleString("en")} are estimated from a sample.`
            : null}
          {driver.dashboardUrl ? (
            <>
              {" "}
              New runs start on {driver.name}: see <a href={driver.dashboardUrl}>its dashboard</a>; these are the runs
              started here before the flip.
            </>
          ) : null}
        </p>
      </div>
      {notice ? (
        <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">
          {excerpt(notice, 200)}
        </p>
      ) : null}

      <AdvisorPanel advice={advice} />

      <section aria-labelledby="stats" className="grid gap-4 sm:grid-cols-4">
        <h2 id="stats" className="sr-only">
          Figures
        </h2>
        <Figure
          label="Oldest due run waiting"
          value={stats.oldestDueRunAgeMs === null ? "none" : formatDuration(stats.oldestDueRunAgeMs)}
        />
        <Figure
          label="Failure rate, 30 days"
          value={last.failureRate === null ? "n/a" : `${(last.failureRate * 100).toFixed(1)}%`}
        />
        <Figure label="Runs / steps, 30 days" value={`${last.runs} / ${last.steps}`} />
        <Figure label="Inngest executions, 30 days (approx.)" value={String(last.inngestExecutions)} />
      </section>

      <section aria-labelledby="per-job" className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
        <h2 id="per-job" className="px-4 pt-4 text-lg font-semibold">
          Runs per job
        </h2>
        <table className="mt-2 w-full text-sm">
          <thead className="text-left text-stone-500">
            <tr>
              <th className="px-4 py-2">Job</th>
              {RUN_STATUSES.map((s) => (
                <th key={s} className="px-4 py-2">
                  {s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stats.byJob.map((entry) => (
              <tr key={entry.jobId} className="border-t border-stone-100">
                <td className="px-4 py-2 font-mono">{entry.jobId}</td>
                {RUN_STATUSES.map((s) => (
                  <td key={s} className="px-4 py-2">
                    {entry.counts[s] ? (
                      <Link
                        className="underline"
                        href={`/admin/jobs?job=${encodeURIComponent(entry.jobId)}&status=${s}`}
                      >
                        {entry.counts[s]}
                      </Link>
                    ) : (
                      0
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="runs" className="space-y-3">
        <h2 id="runs" className="text-lg font-semibold">
          Runs
        </h2>
        <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
          <label className="flex flex-col">
            Status
            <select
              name="status"
              defaultValue={status ?? ""}
              className="mt-1 rounded-md border border-stone-300 px-2 py-1"
            >
              <option value="">any</option>
              {RUN_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            Job
            <select name="job" defaultValue={job ?? ""} className="mt-1 rounded-md border border-stone-300 px-2 py-1">
              <option value="">any</option>
              {jobIds.map((id) => (
                <option key={id}>{id}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded-md bg-stone-900 px-3 py-1.5 text-white">
            Filter
          </button>
        </form>
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
          <table className="w-full text-sm">
            <thead className="text-left text-stone-500">
              <tr>
                <th className="px-4 py-2">Run</th>
                <th className="px-4 py-2">Job</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Attempt</th>
                <th className="px-4 py-2">Run at</th>
                <th className="px-4 py-2">Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-4 py-6 text-center text-stone-500">
                    No runs match.
                  </td>
                </tr>
              ) : (
                runs.map((run) => (
                  <tr key={run.id} className="border-t border-stone-100">
                    <td className="px-4 py-2 font-mono">
                      <Link className="underline" href={`/admin/jobs/${run.id}`}>
                        {run.id.slice(0, 8)}
                      </Link>
                    </td>
                    <td className="px-4 py-2 font-mono">{run.jobId}</td>
                    <td className="px-4 py-2">
                      <StatusBadge status={run.status} />
                    </td>
                    <td className="px-4 py-2">
                      {run.attempt} / {run.maxAttempts}
                    </td>
                    <td className="px-4 py-2">{formatTime(run.runAt)}</td>
                    <td className="max-w-xs truncate px-4 py-2 text-red-700">{run.error?.message ?? ""}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-xl border border-stone-200 bg-white p-4">
      <div className="text-xs text-stone-500">{label}</div>
      <div className="mt-1 text-xl font-semibold">{value}</div>
    </div>
  );
}
