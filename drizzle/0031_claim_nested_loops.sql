-- The claim of 0030, planned with nested loops only. Its UPDATE joins the runs it picked (up
-- to p_limit, a few hundred for a worker's deep prefetch) back to job_runs, and its result
-- joins their events. Estimating a few hundred rows, the planner hashed them and read both
-- tables whole: at 20,000 runs a claim of 160 took 10 to 15 ms, most of it in the two hash
-- joins and their sequential scans, and a claim's cost grew with the size of the tables
-- rather than with its runs. By primary key, row by row, the same claim takes 5 to 6 ms;
-- claims of 10 or 40 runs already took this plan (docs/benchmarks.md). The function keeps
-- `enable_sort = off` from 0020.
ALTER FUNCTION slotline_claim_due_runs(text, text[], integer, integer, bigint, uuid)
  SET enable_hashjoin = off
  SET enable_mergejoin = off;
