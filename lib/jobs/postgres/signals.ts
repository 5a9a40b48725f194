/**
 * Control flow between the step tools and the executor. They are thrown through the
 * handler; the executor also remembers the first one raised, so a handler that wraps
 * a step in try/catch cannot swallow a sleep or a cancellation.
 */
export class RunSignal extends Error {}

/** `step.sleep` / `sleepUntil`: park the run until `wakeAt`. */
export class SleepSignal extends RunSignal {
  override name = "SleepSignal";
  constructor(public readonly wakeAt: Date) {
    super(`sleeping until ${wakeAt.toISOString()}`);
  }
}

/** The drain's budget is spent or the worker is stopping: start no more steps. */
export class ReleaseSignal extends RunSignal {
  override name = "ReleaseSignal";
  constructor() {
    super("drain budget spent; run released before its next step");
  }
}

/** The run was cancelled, or its lease expired and another worker owns it now. */
export class LostRunSignal extends RunSignal {
  override name = "LostRunSignal";
  constructor() {
    super("run no longer held by this worker (cancelled or lease taken over)");
  }
}

/**
 * A step succeeded on a retry and was checkpointed, which resets the run's attempt
 * count to 0 (Inngest counts retries per step). The handler is invoked again from the
 * top with attempt 0, as Inngest invokes a function afresh after every step, so the
 * next step's first try sees `attempt` 0 too.
 */
export class RestartSignal extends RunSignal {
  override name = "RestartSignal";
  constructor() {
    super("step succeeded on a retry; running the handler again with attempt 0");
  }
}
