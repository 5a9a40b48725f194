"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireOperator } from "@/lib/auth/session";
import { cancelRun, replayRun, retryRun, RunActionError } from "@/lib/jobs/postgres/control";

/**
 * Operator buttons on /admin/jobs/<run>. A server action is a public endpoint, so each
 * checks for an operator again rather than trusting that the page was rendered for one.
 */
const runId = z.uuid({ message: "not a run id" });

async function act(rawId: string, action: (id: string) => Promise<{ id: string }>, done: string) {
  await requireOperator();
  const id = runId.parse(rawId);
  let target = id;
  let notice = done;
  try {
    target = (await action(id)).id;
  } catch (error) {
    if (!(error instanceof RunActionError)) throw error;
    notice = error.message;
  }
  revalidatePath("/admin/jobs");
  redirect(`/admin/jobs/${target}?notice=${encodeURIComponent(notice)}`);
}

export async function retryRunAction(id: string) {
  await act(id, retryRun, "Queued again; finished steps will be replayed, not repeated.");
}

export async function replayRunAction(id: string) {
  await act(id, replayRun, "Replay created: a new run of the same event, from scratch.");
}

export async function cancelRunAction(id: string) {
  await act(id, cancelRun, "Cancelled. A running run stops before its next step.");
}
