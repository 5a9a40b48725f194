import { describe, expectTypeOf, test } from "vitest";
import { jobs } from "@/jobs";
import { defineJob } from "@/lib/jobs/define";
import type { SlotlineInngest } from "@/lib/jobs/inngest/client";
import type { InngestTriggersOf } from "@/lib/jobs/inngest/functions";
import type { EventPayload, JobContext, JobDefinition, JobOptions, StepTools, Trigger } from "@/lib/jobs/types";

/**
 * Compile-time proof that the definitions API is a subset of Inngest v4: for every
 * job, the context Inngest passes for that job's triggers satisfies the job's
 * handler (and its onFailure). A handler that used a step tool the Postgres driver
 * lacks would not compile against `StepTools` in the first place.
 */

// Only its type is used: instantiation expressions need a value to hang on.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
declare const inngest: SlotlineInngest;
type CreateFor<T extends readonly Trigger[]> = typeof inngest.createFunction<Extract<InngestTriggersOf<T>, unknown[]>>;
type InngestContext<T extends readonly Trigger[]> = Parameters<Parameters<CreateFor<T>>[1]>[0];
type InngestFailureContext<T extends readonly Trigger[]> = Parameters<
  NonNullable<Parameters<CreateFor<T>>[0]["onFailure"]>
>[0];

/**
 * Inngest adds "inngest/function.invoked" to every function's event union, for
 * `step.invoke` callers. Slotline never invokes a job (step.invoke is outside the
 * subset and the jobs are not exported as references), so that event never arrives.
 */
type Reachable<C> = C extends { event: infer E }
  ? Omit<C, "event"> & { event: Exclude<E, { name: "inngest/function.invoked" }> }
  : never;

type HandlerRunsOnInngest<J> =
  J extends JobDefinition<infer T>
    ? Reachable<InngestContext<T>> extends Parameters<J["handler"]>[0]
      ? true
      : { job: J; fails: "handler" }
    : never;
/**
 * Inngest types the failed run's event inside the failure event loosely (any name,
 * optional id); at run time it is the event that triggered the failed run, so it is
 * narrowed to that here. Every other field is compared as Inngest declares it.
 */
type WithOriginalEvent<C, E> = C extends { event: { data: infer D } }
  ? Omit<C, "event"> & { event: Omit<C["event"], "data"> & { data: Omit<D, "event"> & { event: E } } }
  : never;

type FailureRunsOnInngest<J> =
  J extends JobDefinition<infer T>
    ? WithOriginalEvent<InngestFailureContext<T>, Parameters<J["handler"]>[0]["event"]> extends Parameters<
        NonNullable<J["options"]["onFailure"]>
      >[0]
      ? true
      : { job: J; fails: "onFailure" }
    : never;

// Fixtures covering every step tool and trigger kind; only their types are checked.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const fixtures = {
  onEvent: defineJob(
    {
      id: "fixture-event",
      triggers: [{ event: "booking/created" }],
      retries: 2,
      onFailure: ({ error, event }) => [error.message, event.data.event.data.bookingId],
    },
    async ({ event, step, runId, attempt, logger }) => {
      const booking = await step.run("load", async () => ({ id: event.data.bookingId, at: new Date() }));
      await step.sleepUntil("wait", booking.at);
      await step.sleep("pause", "1h");
      await step.sendEvent("fan-out", [
        { name: "billing/summary.requested", data: { clinicId: event.data.clinicId, period: "2026-10" } },
      ]);
      logger.info(runId, attempt);
      return booking.id;
    },
  ),
  onCron: defineJob(
    { id: "fixture-cron", triggers: [{ cron: "TZ=Europe/London 0 6 1 * *" }] },
    async ({ event, step }) => step.run("note", () => event.data.cron),
  ),
  onBoth: defineJob(
    { id: "fixture-both", triggers: [{ event: "booking/cancelled" }, { cron: "0 * * * *" }] },
    async ({ event }) => event.name,
  ),
};

describe("the definitions API is a subset of Inngest v4", () => {
  test("StepTools is exactly run, sendEvent, sleep, sleepUntil", () => {
    expectTypeOf<keyof StepTools>().toEqualTypeOf<"run" | "sendEvent" | "sleep" | "sleepUntil">();
  });

  test("fixture jobs using every step tool and trigger kind are accepted by Inngest", () => {
    expectTypeOf<HandlerRunsOnInngest<(typeof fixtures)[keyof typeof fixtures]>>().toEqualTypeOf<true>();
    expectTypeOf<FailureRunsOnInngest<typeof fixtures.onEvent>>().toEqualTypeOf<true>();
  });

  test("every job in the registry runs on Inngest for its own triggers", () => {
    // Annotating the registry as JobDefinition[] would erase each job's triggers and
    // weaken the checks below to the common denominator; jobs/index.ts uses `satisfies`.
    expectTypeOf<(typeof jobs)[number]>().not.toEqualTypeOf<JobDefinition>();
    expectTypeOf<HandlerRunsOnInngest<(typeof jobs)[number]>>().toEqualTypeOf<true>();
    expectTypeOf<FailureRunsOnInngest<(typeof jobs)[number]>>().toEqualTypeOf<true>();
  });

  test("the check rejects a handler that wants more than Inngest gives", () => {
    type Booking = EventPayload<"booking/created", { bookingId: string; clinicId: string }>;
    type Wanting<Ctx> = {
      kind: "slotline.job";
      options: JobOptions<readonly [{ event: "booking/created" }]>;
      handler: (ctx: Ctx) => unknown;
    };
    // A step tool Inngest does not have:
    expectTypeOf<
      HandlerRunsOnInngest<Wanting<JobContext<Booking> & { step: { cancel(id: string): Promise<void> } }>>
    >().not.toEqualTypeOf<true>();
    // A payload field the catalog schema does not declare:
    expectTypeOf<
      HandlerRunsOnInngest<
        Wanting<JobContext<EventPayload<"booking/created", { bookingId: string; clinicId: string; roomId: string }>>>
      >
    >().not.toEqualTypeOf<true>();
    // The right shape passes, so the two above fail for their own reason:
    expectTypeOf<HandlerRunsOnInngest<Wanting<JobContext<Booking>>>>().toEqualTypeOf<true>();
  });

  test("a step tool only Inngest has does not compile in a job", () => {
    defineJob({ id: "fixture-wait", triggers: [{ event: "booking/created" }] }, async ({ step }) => {
      // @ts-expect-error waitForEvent is not in the subset: the Postgres driver cannot run it
      await step.waitForEvent("confirm", { event: "booking/cancelled", timeout: "1h" });
      // @ts-expect-error invoke is not in the subset either
      await step.invoke("other", { function: "x" });
    });
  });
});
