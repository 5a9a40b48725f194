-- job_steps.run_id loses its foreign key: every insert into job_steps takes its run_id from
-- a fenced UPDATE of the held run in the same statement (the run exists and is locked), and
-- the key's check, a query and a tuple lock per inserted row, was about a fifth of a
-- checkpoint's cost on the server. What the key's ON DELETE CASCADE did, this trigger does,
-- once per DELETE statement rather than once per row.
ALTER TABLE "job_steps" DROP CONSTRAINT "job_steps_run_id_job_runs_id_fk";--> statement-breakpoint
CREATE FUNCTION slotline_delete_run_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM job_steps USING deleted_runs WHERE job_steps.run_id = deleted_runs.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER job_runs_delete_steps AFTER DELETE ON job_runs
  REFERENCING OLD TABLE AS deleted_runs
  FOR EACH STATEMENT EXECUTE FUNCTION slotline_delete_run_steps();
