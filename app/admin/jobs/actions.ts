"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireOperator } from "@/lib/auth/session";
import { activeDriver } from "@/lib/jobs/driver";
import { RunActionError, type RunLedger } from "@/lib/jobs/run-ledger";

/**
 * Operator buttons on /admin/jobs/<run>. A server action is a public endpoint, so each
 * checks for an operator again rather than trusting that the page was rendered for one.
 */
const runId = z.uuid();

async function act(rawId: unknown, action: keyof Pick<RunLedger, "retry" | "replay" | "cancel">, done: string) {
  await requireOperator();
  // The id is bound into the button by the page, but anyone can call the action with anything.
  const parsed = runId.safeParse(rawId);
  if (!parsed.success)
    redirect(`/admin/jobs?notice=${encodeURIComponent("That is not a run id; nothing was changed.")}`);
  const id = parsed.data;
  let target = id;
  let notice = done;
  try {
    target = (await activeDriver().runs[action](id)).id;
  } catch (error) {
    if (!(error instanceof RunActionError)) throw error;
    notice = error.message;
  }
  revalidatePath("/admin/jobs");
  redirect(`/admin/jobs/${target}?notice=${encodeURIComponent(notice)}`);
}

export async function retryRunAction(id: unknown) {
  await act(id, "retry", "Queued again; finished steps will be replayed, not repeated.");
}

export async function replayRunAction(id: unknown) {
  await act(id, "replay", "Replay created: a new run of the same event, from scratch.");
}

export async function cancelRunAction(id: unknown) {
  await act(id, "cancel", "Cancelled. A running run stops before its next step.");
}
