import { describe, expectTypeOf, test } from "vitest";
import { jobs } from "@/jobs";
import type { SlotlineInngest } from "@/lib/jobs/inngest/client";
import type { CancelOn, ConcurrencyLimit, JobOptions, Throttle, Trigger } from "@/lib/jobs/types";

/**
 * Compile-time proof that each flow-control option of defineJob is one Inngest v4's
 * `createFunction` accepts as it is: the Inngest driver passes them through untouched.
 */

// Only its type is used.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
declare const inngest: SlotlineInngest;
type InngestOptions = Parameters<typeof inngest.createFunction>[0];
type Ours = JobOptions<readonly Trigger[]>;

describe("flow control has Inngest's own shapes", () => {
  test("cancelOn", () => {
    expectTypeOf<CancelOn[]>().toExtend<NonNullable<InngestOptions["cancelOn"]>>();
    expectTypeOf<NonNullable<Ours["cancelOn"]>>().toExtend<NonNullable<InngestOptions["cancelOn"]>>();
  });

  test("concurrency, as one limit or a list of up to two", () => {
    expectTypeOf<ConcurrencyLimit>().toExtend<NonNullable<InngestOptions["concurrency"]>>();
    expectTypeOf<NonNullable<Ours["concurrency"]>>().toExtend<NonNullable<InngestOptions["concurrency"]>>();
  });

  test("throttle", () => {
    expectTypeOf<Throttle>().toExtend<NonNullable<InngestOptions["throttle"]>>();
  });

  test("idempotency", () => {
    expectTypeOf<NonNullable<Ours["idempotency"]>>().toExtend<NonNullable<InngestOptions["idempotency"]>>();
  });

  test("every job's options, flow control included, fit createFunction's options", () => {
    type JobFlowControl = Pick<
      (typeof jobs)[number]["options"],
      "cancelOn" | "concurrency" | "throttle" | "idempotency"
    >;
    expectTypeOf<JobFlowControl>().toExtend<
      Pick<InngestOptions, "cancelOn" | "concurrency" | "throttle" | "idempotency">
    >();
  });

  test("a shape Inngest would refuse does not pass", () => {
    expectTypeOf<{ limit: number; period: "1 second" }>().not.toExtend<NonNullable<InngestOptions["throttle"]>>();
    expectTypeOf<{ event: string; match: number }[]>().not.toExtend<NonNullable<InngestOptions["cancelOn"]>>();
  });
});
