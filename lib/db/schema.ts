import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => timestamptz("created_at").notNull().defaultNow();
const updatedAt = () =>
  timestamptz("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

// ---------------------------------------------------------------- auth (better-auth)
// Table and column shapes follow better-auth's core schema; `usePlural` maps them.

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamptz("expires_at").notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamptz("access_token_expires_at"),
    refreshTokenExpiresAt: timestamptz("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable("verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestamptz("expires_at").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Failed sign-ins and sign-up attempts, one row per attempt and rate-limit key
 * ("sign-in:email:...", "sign-in:ip:...", "sign-up:ip:..."); lib/auth/rate-limit.ts
 * counts them over a sliding window and deletes what has aged out.
 */
export const authAttempts = pgTable(
  "auth_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("auth_attempts_key_created_idx").on(t.key, t.createdAt),
    // For deleting aged-out rows of every key, not only the ones being counted.
    index("auth_attempts_created_idx").on(t.createdAt),
  ],
);

// ---------------------------------------------------------------- clinics and people

export const clinics = pgTable("clinics", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  /** IANA zone; every wall-clock figure (working hours, billing months) is read in it. */
  timeZone: text("time_zone").notNull().default("Europe/London"),
  currency: text("currency").notNull().default("GBP"),
  /** BCP 47 tag whose conventions dates and times are shown in ("en-GB": 14:30, "en-US": 2:30 PM). */
  locale: text("locale").notNull().default("en-GB"),
  /** How long before an appointment a client may still cancel with their link. */
  cancellationNoticeHours: integer("cancellation_notice_hours").notNull().default(24),
  /** How clients reach the clinic: shown on the booking and manage pages and in booking emails. */
  phone: text("phone"),
  /** Street address, possibly over several lines. */
  address: text("address"),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

export const memberRole = pgEnum("member_role", ["owner", "admin", "staff"]);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull().default("staff"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_clinic_user_key").on(t.clinicId, t.userId),
    index("memberships_user_idx").on(t.userId),
  ],
);

/**
 * An invitation to join a clinic's team, sent by email. The link carries
 * `<id>.<HMAC>` (lib/team/invitation-token.ts), so nothing secret is stored here:
 * the job that emails it and the page that accepts it both recompute or verify the
 * signature. Accepting or revoking it sets its timestamp, which makes the link dead;
 * at most one invitation per clinic and email is pending at a time.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    /** Lowercased; matched against the signed-in user's email when accepted. */
    email: text("email").notNull(),
    role: memberRole("role").notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    acceptedAt: timestamptz("accepted_at"),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [
    uniqueIndex("invitations_pending_key")
      .on(t.clinicId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    // A clinic has one owner role to give, at sign-up; invitations bring admins and staff.
    check("invitations_role_check", sql`${t.role} <> 'owner'`),
    check("invitations_email_lowercase_check", sql`${t.email} = lower(${t.email})`),
    check("invitations_settled_once_check", sql`${t.acceptedAt} is null or ${t.revokedAt} is null`),
  ],
);

export const practitioners = pgTable(
  "practitioners",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("practitioners_clinic_idx").on(t.clinicId)],
);

/** Weekly hours in the clinic's wall-clock time: weekday 1 = Monday ... 7 = Sunday (ISO). */
export const workingHours = pgTable(
  "working_hours",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    practitionerId: uuid("practitioner_id")
      .notNull()
      .references(() => practitioners.id, { onDelete: "cascade" }),
    weekday: smallint("weekday").notNull(),
    startMinute: smallint("start_minute").notNull(),
    endMinute: smallint("end_minute").notNull(),
  },
  (t) => [
    index("working_hours_practitioner_idx").on(t.practitionerId),
    check("working_hours_weekday_check", sql`${t.weekday} between 1 and 7`),
    check(
      "working_hours_range_check",
      sql`0 <= ${t.startMinute} and ${t.startMinute} < ${t.endMinute} and ${t.endMinute} <= 1440`,
    ),
  ],
);

export const timeOff = pgTable(
  "time_off",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    practitionerId: uuid("practitioner_id")
      .notNull()
      .references(() => practitioners.id, { onDelete: "cascade" }),
    startsAt: timestamptz("starts_at").notNull(),
    endsAt: timestamptz("ends_at").notNull(),
    reason: text("reason"),
  },
  (t) => [
    index("time_off_practitioner_idx").on(t.practitionerId, t.startsAt),
    check("time_off_range_check", sql`${t.startsAt} < ${t.endsAt}`),
  ],
);

export const services = pgTable(
  "services",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    durationMinutes: integer("duration_minutes").notNull(),
    /**
     * Time kept free after each appointment of this treatment (cleaning a room, notes): the
     * practitioner's next appointment starts no earlier. Not shown to clients.
     */
    bufferMinutes: integer("buffer_minutes").notNull().default(0),
    /** Integer minor units (pence) in the clinic's currency. */
    priceMinor: integer("price_minor").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index("services_clinic_idx").on(t.clinicId),
    check("services_duration_check", sql`${t.durationMinutes} between 5 and 720`),
    check("services_buffer_check", sql`${t.bufferMinutes} between 0 and 240`),
    check("services_price_check", sql`${t.priceMinor} >= 0`),
  ],
);

/**
 * Who offers a treatment. A treatment with no rows here is offered by every practitioner
 * (a new clinic need not assign anything); with rows, only by those practitioners.
 */
export const practitionerServices = pgTable(
  "practitioner_services",
  {
    practitionerId: uuid("practitioner_id")
      .notNull()
      .references(() => practitioners.id, { onDelete: "cascade" }),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.practitionerId] }),
    index("practitioner_services_practitioner_idx").on(t.practitionerId),
  ],
);

export const clients = pgTable(
  "clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    /** The clinic's own notes on the client (allergies, preferences); never shown to the client. */
    notes: text("notes"),
    /** Set when the clinic erased the client's details on request (lib/clinic/erase-client.ts). */
    erasedAt: timestamptz("erased_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("clients_clinic_email_key").on(t.clinicId, t.email),
    // The clients page lists a clinic's clients by name (lib/clinic/clients.ts).
    index("clients_clinic_name_idx").on(t.clinicId, sql`lower(${t.name})`, t.id),
  ],
);

// ---------------------------------------------------------------- bookings

export const bookingStatus = pgEnum("booking_status", ["confirmed", "cancelled", "completed", "no_show"]);
export const cancelledBy = pgEnum("cancelled_by", ["client", "clinic"]);

/**
 * Overlapping active bookings of one practitioner are refused by the database:
 * migration 0001 adds `bookings_no_overlap`, an exclusion constraint over
 * tstzrange(starts_at, ends_at) (btree_gist), for every status but cancelled.
 */
export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    practitionerId: uuid("practitioner_id")
      .notNull()
      .references(() => practitioners.id),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    startsAt: timestamptz("starts_at").notNull(),
    endsAt: timestamptz("ends_at").notNull(),
    /**
     * The end of the time the appointment keeps its practitioner from others: `endsAt` plus
     * the treatment's buffer when booked (null: no buffer, `endsAt`). bookings_no_overlap
     * (drizzle/0001, 0028) compares these ranges, so a buffer holds against any race.
     */
    blockedUntil: timestamptz("blocked_until"),
    status: bookingStatus("status").notNull().default("confirmed"),
    /** Price and currency captured when booked; later price changes never rewrite history. */
    priceMinor: integer("price_minor").notNull(),
    currency: text("currency").notNull(),
    cancelledBy: cancelledBy("cancelled_by"),
    cancelReason: text("cancel_reason"),
    cancelledAt: timestamptz("cancelled_at"),
    /** What the client told the clinic when booking (optional; erased with the client's details). */
    clientNote: text("client_note"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The two clinic_ indexes carry INCLUDE columns for the monthly summary's index-only
    // scans (migrations 0011 and 0018).
    index("bookings_clinic_starts_idx").on(t.clinicId, t.startsAt),
    index("bookings_practitioner_starts_idx").on(t.practitionerId, t.startsAt),
    index("bookings_client_idx").on(t.clientId),
    index("bookings_clinic_client_idx").on(t.clinicId, t.clientId, t.startsAt),
    check("bookings_range_check", sql`${t.startsAt} < ${t.endsAt}`),
    check("bookings_blocked_until_check", sql`${t.blockedUntil} is null or ${t.blockedUntil} >= ${t.endsAt}`),
  ],
);

// ---------------------------------------------------------------- billing

export const billingSummaries = pgTable(
  "billing_summaries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    /** Calendar month in the clinic's time zone, "YYYY-MM". */
    period: text("period").notNull(),
    periodStart: timestamptz("period_start").notNull(),
    periodEnd: timestamptz("period_end").notNull(),
    currency: text("currency").notNull(),
    bookingsTotal: integer("bookings_total").notNull(),
    completed: integer("completed").notNull(),
    cancelled: integer("cancelled").notNull(),
    noShows: integer("no_shows").notNull(),
    confirmed: integer("confirmed").notNull(),
    revenueMinor: integer("revenue_minor").notNull(),
    /** no_shows / (completed + no_shows), 0..1; null when nothing was due. */
    noShowRate: jsonb("no_show_rate").$type<number | null>(),
    newClients: integer("new_clients").notNull(),
    returningClients: integer("returning_clients").notNull(),
    topTreatments: jsonb("top_treatments")
      .$type<{ serviceId: string; name: string; count: number; revenueMinor: number }[]>()
      .notNull(),
    previous: jsonb("previous").$type<{ bookingsTotal: number; revenueMinor: number; completed: number } | null>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("billing_summaries_clinic_period_key").on(t.clinicId, t.period)],
);

// ---------------------------------------------------------------- email

/**
 * Emails whose idempotency key starts with this are kept for good by retention
 * (lib/jobs/postgres/prune.ts): a month's billing summary can be rerun at any time
 * (`trigger --at`), and its key is all that stops the owner being emailed twice.
 */
export const EMAIL_KEY_KEPT_FOR_GOOD = "billing-summary:";
/** The rows retention may delete, oldest first (the partial indexes below). */
const prunableEmail = (t: { idempotencyKey: AnyPgColumn }) =>
  sql`${t.idempotencyKey} not like ${sql.raw(`'${EMAIL_KEY_KEPT_FOR_GOOD}%'`)}`;

/** A file sent with an email, as the outbox keeps it: the content in base64, as Resend's API takes it. */
export type StoredAttachment = { filename: string; contentType: string; content: string };

/** Every email sent without Resend (dev, tests), shown at /dev/emails. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    attachments: jsonb("attachments").$type<StoredAttachment[]>().notNull().default([]),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index("email_outbox_prunable_idx").on(t.createdAt).where(prunableEmail(t))],
);

export const emailDeliveryStatus = pgEnum("email_delivery_status", ["sending", "sent"]);

/**
 * The ledger of emails handed to Resend, one row per idempotency key. Resend forgets
 * a key after 24 hours; this row does not, so a replay, a rerun of last month's
 * billing or a flag flip back from Inngest finds the email already `sent` and sends
 * nothing. A `sending` row is an attempt that has not been confirmed (a failure or a
 * crash): the next attempt sends again with the same key.
 */
export const emailDeliveries = pgTable(
  "email_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    status: emailDeliveryStatus("status").notNull().default("sending"),
    resendId: text("resend_id"),
    createdAt: createdAt(),
    sentAt: timestamptz("sent_at"),
  },
  (t) => [
    index("email_deliveries_prunable_idx").on(t.createdAt).where(prunableEmail(t)),
    check(
      "email_deliveries_sent_check",
      sql`${t.status} = 'sending' or (${t.resendId} is not null and ${t.sentAt} is not null)`,
    ),
  ],
);

// ---------------------------------------------------------------- jobs

export const jobRunStatus = pgEnum("job_run_status", [
  "queued",
  "running",
  "sleeping",
  "completed",
  "failed",
  "cancelled",
]);
export const jobStepStatus = pgEnum("job_step_status", ["completed", "failed", "sleeping"]);
export const jobDriver = pgEnum("job_driver", ["postgres", "inngest"]);

export type JobError = { name: string; message: string; stack?: string };

/** The transactional outbox: every event ever sent, written in the sender's transaction. */
export const jobEvents = pgTable(
  "job_events",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    data: jsonb("data").notNull(),
    ts: timestamptz("ts").notNull().defaultNow(),
    /** The driver in charge when the event was sent; `inngest` events wait for the relay. */
    driver: jobDriver("driver").notNull().default("postgres"),
    relayedAt: timestamptz("relayed_at"),
    /** A relay sending this event holds it until then (it commits before calling Inngest). */
    relayLeasedUntil: timestamptz("relay_leased_until"),
    relayAttempts: integer("relay_attempts").notNull().default(0),
    relayError: text("relay_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("job_events_unrelayed_idx")
      .on(t.createdAt)
      .where(sql`${t.driver} = 'inngest' and ${t.relayedAt} is null`),
    index("job_events_name_idx").on(t.name, t.createdAt),
    // cancelOn finds the runs a cancelling event matches by containment (data @> {...}).
    index("job_events_data_idx").using("gin", sql`${t.data} jsonb_path_ops`),
    // Retention sweeps events that never had a run (relayed to Inngest, or no job subscribed) oldest first.
    index("job_events_created_idx").on(t.createdAt),
  ],
);

export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: text("job_id").notNull(),
    eventId: text("event_id").references(() => jobEvents.id),
    /** For cron runs: the scheduled slot (UTC instant) this run stands for. */
    cronSlot: timestamptz("cron_slot"),
    status: jobRunStatus("status").notNull().default("queued"),
    /** Failed attempts of the current step (reset when a step checkpoints, as Inngest counts per step); the handler's `attempt`. */
    attempt: integer("attempt").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    /** Due time on the database's one clock (drizzle/0005_database_clock.sql). */
    runAt: timestamptz("run_at")
      .notNull()
      .default(sql`slotline_now()`),
    lockedBy: text("locked_by"),
    /**
     * The fencing token of the claim holding the run (new on every claim, cleared on
     * release): every write a worker makes to a held run matches on it, so a lane whose
     * lease was taken over writes nothing.
     */
    claimToken: uuid("claim_token"),
    leaseExpiresAt: timestamptz("lease_expires_at"),
    error: jsonb("error").$type<JobError>(),
    output: jsonb("output"),
    /** For replays and onFailure runs: the run this one was made from. */
    parentRunId: uuid("parent_run_id"),
    /** The job's `idempotency` expression evaluated over the event: one run per key within 24 h. */
    idempotencyKey: text("idempotency_key"),
    /** Why a cancelled run was cancelled (a cancelOn event, an operator). */
    cancelReason: text("cancel_reason"),
    /** The event whose arrival cancelled the run (cancelOn). */
    cancelledByEventId: text("cancelled_by_event_id"),
    createdAt: createdAt(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One run per (job, event) and per (job, cron slot): duplicate events and doubled
    // cron invocations hit these and create nothing. Replays carry a parent and are exempt:
    // their third column is NULL (`false or null`), and rows with a NULL never collide, as
    // cron runs (no event) never do here. Not partial and led by event_id, it also finds an
    // event's runs (retention, the kick, the foreign key's check when an event is deleted),
    // so job_runs needs no index on event_id alone: every claim and every completion writes
    // a new entry into each index of job_runs, and each costs the server a few percent of a run.
    // Runs of events have no slot and stay out of the slot key (NULLs never collide anyway).
    uniqueIndex("job_runs_event_key").on(t.eventId, t.jobId, sql`(${t.parentRunId} is null or null)`),
    uniqueIndex("job_runs_job_slot_key")
      .on(t.jobId, t.cronSlot)
      .where(sql`${t.parentRunId} is null and ${t.cronSlot} is not null`),
    // The claim walks this index in (run_at, id) order and stops after LIMIT rows.
    index("job_runs_due_idx")
      .on(t.runAt, t.id)
      .where(sql`${t.status} in ('queued', 'sleeping')`),
    // No index on lease_expires_at: the few running runs are found on (status, created_at),
    // so neither a claim nor a lease renewal writes one more entry (renewals stay HOT).
    // Listings and counts over time read one status at a time (lib/jobs/postgres/inspect.ts,
    // stats.ts): an index on created_at alone would take one more entry on every claim and
    // every completion of every run, about a tenth of their cost on the server.
    index("job_runs_job_status_idx").on(t.jobId, t.status, t.createdAt),
    index("job_runs_idempotency_idx")
      .on(t.jobId, t.idempotencyKey, t.createdAt)
      .where(sql`${t.idempotencyKey} is not null`),
    // Retention and the operator views at volume (lib/jobs/postgres/prune.ts, inspect.ts):
    // a run page lists its replays and onFailure runs; `list --status` and pruning walk
    // one status by age (an event's runs are found on job_runs_event_key).
    index("job_runs_parent_idx")
      .on(t.parentRunId)
      .where(sql`${t.parentRunId} is not null`),
    index("job_runs_status_created_idx").on(t.status, t.createdAt),
  ],
);

/**
 * The last slot scheduled per cron job. Catch-up creates a run only for a slot after
 * this one, so pruning a finished cron run never brings its slot back, and a new
 * deployment starts from the slot after it first ran (lib/jobs/cron-ledger.ts).
 */
export const jobCronLedger = pgTable("job_cron_ledger", {
  jobId: text("job_id").primaryKey(),
  lastSlot: timestamptz("last_slot").notNull(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

export const jobSteps = pgTable(
  "job_steps",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // No foreign key: every insert takes its run_id from a fenced UPDATE of the held run in
    // the same statement, so the run exists and is locked, and a foreign key's per-row check
    // (a query and a tuple lock each) was a fifth of a checkpoint's cost. A run's steps still
    // go with it: the trigger job_runs_delete_steps (drizzle/0027) deletes them.
    runId: uuid("run_id").notNull(),
    stepId: text("step_id").notNull(),
    op: text("op").$type<"run" | "sleep" | "sendEvent">().notNull(),
    status: jobStepStatus("status").notNull(),
    output: jsonb("output"),
    error: jsonb("error").$type<JobError>(),
    /** The run attempt this row was written in; failed rows keep the history of a step. */
    attempt: integer("attempt").notNull(),
    wakeAt: timestamptz("wake_at"),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    // At most one checkpoint per step: the replay source of truth.
    uniqueIndex("job_steps_checkpoint_key")
      .on(t.runId, t.stepId)
      .where(sql`${t.status} <> 'failed'`),
    index("job_steps_run_idx").on(t.runId, t.id),
    // Steps are written in time order, so a BRIN index (a few pages, next to free to
    // maintain) lets `jobs stats` and the advisor read the last 30 days without reading every step.
    index("job_steps_started_brin").using("brin", t.startedAt),
    // The advisor's rare rows (lib/jobs/postgres/advisor-figures.ts): failed attempts,
    // sleeps, and steps of 10 s or more (LONG_STEP_MS). A step that is none of these
    // adds no entry to them.
    index("job_steps_failed_idx")
      .on(t.startedAt, t.runId)
      .where(sql`${t.status} = 'failed'`),
    index("job_steps_sleep_idx")
      .on(t.startedAt)
      .where(sql`${t.op} = 'sleep'`),
    index("job_steps_long_idx")
      .on(t.startedAt)
      .where(sql`${t.op} = 'run' and ${t.finishedAt} - ${t.startedAt} >= interval '10 seconds'`),
  ],
);

/** Every drain of the Postgres queue, for the advisor: how often a drain used its whole budget. */
export const jobDrains = pgTable(
  "job_drains",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    startedAt: timestamptz("started_at").notNull(),
    finishedAt: timestamptz("finished_at").notNull().defaultNow(),
    budgetMs: integer("budget_ms").notNull(),
    processed: integer("processed").notNull(),
    /** Runs still due when the drain stopped. */
    remaining: integer("remaining").notNull(),
  },
  (t) => [index("job_drains_started_idx").on(t.startedAt)],
);

/**
 * Run starts of throttled jobs within their period, per throttle key: what the Postgres
 * claim counts before starting another (drizzle/0013_flow_control_claim.sql). The claim
 * deletes a key's entries once they leave the period; retention drops the rest.
 */
export const jobThrottleStarts = pgTable(
  "job_throttle_starts",
  {
    jobId: text("job_id").notNull(),
    throttleKey: text("throttle_key").notNull(),
    startedAt: timestamptz("started_at").notNull(),
  },
  (t) => [index("job_throttle_starts_key_idx").on(t.jobId, t.throttleKey, t.startedAt)],
);

/**
 * The next moment each outgoing API may be called (one row per API, e.g. "resend"):
 * every worker, drain and request reserves its slot here, so all of them together keep
 * to the provider's rate limit (lib/email/pacing.ts).
 */
export const apiRatePacing = pgTable("api_rate_pacing", {
  api: text("api").primaryKey(),
  nextAt: timestamptz("next_at").notNull(),
});

export type Clinic = typeof clinics.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type Practitioner = typeof practitioners.$inferSelect;
export type WorkingHours = typeof workingHours.$inferSelect;
export type TimeOff = typeof timeOff.$inferSelect;
export type Service = typeof services.$inferSelect;
export type Client = typeof clients.$inferSelect;
export type Booking = typeof bookings.$inferSelect;
export type BillingSummary = typeof billingSummaries.$inferSelect;
export type EmailDelivery = typeof emailDeliveries.$inferSelect;
export type JobEvent = typeof jobEvents.$inferSelect;
export type JobRun = typeof jobRuns.$inferSelect;
export type JobStep = typeof jobSteps.$inferSelect;
export type MemberRole = (typeof memberRole.enumValues)[number];
