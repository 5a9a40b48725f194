/** Small display helpers for the operator pages. */
export function formatTime(date: Date | null | undefined) {
  return date
    ? date
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d{3}Z$/, " UTC")
    : "—";
}

export function formatDuration(ms: number | null) {
  if (ms === null) return "—";
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export const statusClass: Record<string, string> = {
  queued: "bg-stone-100 text-stone-700",
  running: "bg-blue-50 text-blue-700",
  sleeping: "bg-indigo-50 text-indigo-700",
  completed: "bg-green-50 text-green-700",
  failed: "bg-red-50 text-red-700",
  cancelled: "bg-amber-50 text-amber-800",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${statusClass[status] ?? "bg-stone-100"}`}
    >
      {status}
    </span>
  );
}
