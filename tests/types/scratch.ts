import { Inngest } from "inngest";
import { defineJob } from "@/lib/jobs/define";
import type { JobDefinition, Trigger } from "@/lib/jobs/types";
const a = defineJob({ id: "a", triggers: [{ event: "booking/created" }], onFailure: async ({ error, event }) => { console.log(error.message, event.data.event.data.bookingId); } }, async ({ event, step }) => {
  await step.run("x", () => event.data.bookingId);
  await step.sleep("s", "1h");
  await step.sendEvent("e", { name: "billing/summary.requested", data: { clinicId: "x", period: "2024-01" } });
  return { ok: true };
});
const b = defineJob({ id: "b", triggers: [{ cron: "TZ=Europe/London 0 6 1 * *" }] }, async ({ event, step }) => {
  await step.run("x", () => event.data.cron);
});
const inngest = new Inngest({ id: "slotline" });
type Create = typeof inngest.createFunction;
type W<T extends readonly Trigger[]> = Extract<{ -readonly [K in keyof T]: T[K] }, Trigger[]>;
type InngestHandler<T extends readonly Trigger[]> = Parameters<typeof inngest.createFunction<W<T>>>[1];
type InngestFailure<T extends readonly Trigger[]> = NonNullable<Parameters<typeof inngest.createFunction<W<T>>>[0]["onFailure"]>;
type Check<J> = J extends JobDefinition<infer T> ? (J["handler"] extends InngestHandler<T> ? true : false) : never;
type CheckF<J> = J extends JobDefinition<infer T> ? (NonNullable<J["options"]["onFailure"]> extends InngestFailure<T> ? true : false) : never;
const ca: Check<typeof a> = true;
const cb: Check<typeof b> = true;
const fa: CheckF<typeof a> = true;
type H = InngestHandler<[{event: "booking/created"}]>;
const h: H = a.handler;
const hb: InngestHandler<[{cron: "x"}]> = b.handler;
const registry: JobDefinition[] = [a, b];
const cr: Check<(typeof registry)[number]> = true;
export { ca, cb, h, hb, cr, fa };
export type { Create };
