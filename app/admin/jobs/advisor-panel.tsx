import type { Advice } from "@/lib/jobs/advisor/verdict";

const VERDICT_STYLE: Record<Advice["verdict"], string> = {
  "stay on Postgres": "border-emerald-200 bg-emerald-50 text-emerald-900",
  watch: "border-amber-200 bg-amber-50 text-amber-900",
  "flip to Inngest": "border-red-200 bg-red-50 text-red-900",
};
const LEVEL_MARK = { ok: "✓", watch: "!", flip: "‼" } as const;

/** The advisor's verdict at the top of /admin/jobs: the same as `npm run jobs -- advise`. */
export function AdvisorPanel({ advice }: { advice: Advice }) {
  return (
    <section aria-labelledby="advisor" className={`rounded-xl border p-4 ${VERDICT_STYLE[advice.verdict]}`}>
      <h2 id="advisor" className="text-lg font-semibold">
        Advisor: {advice.verdict}
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        {advice.reasons.map((reason) => (
          <li key={reason.signal} data-level={reason.level}>
            <span aria-hidden className="mr-2 inline-block w-3 font-semibold">
              {LEVEL_MARK[reason.level]}
            </span>
            {reason.text}
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs opacity-80">
        Thresholds in <code>lib/jobs/advisor/thresholds.ts</code>, explained in docs/graduating-to-inngest.md. Plan
        allowances from {advice.plans.source} ({advice.plans.checkedOn}). Same output:{" "}
        <code>npm run jobs -- advise</code>.
      </p>
    </section>
  );
}
