-- Issue 10 (tasks as a platform): cancel, retry and vendor costs.
--
-- 1. `cancelled`: a processing task its owner cancelled (POST /task/cancel/{taskId}). Ending it is
--    the same kind of conditional `processing → cancelled` UPDATE as done/failed
--    (shared/tasks/lifecycle.ts cancelTask), and tasks_settle_hold (migration 010) writes the hold's
--    release for every status other than `done` (its ELSE branch), so a cancelled task gets its quota
--    back exactly once with no change to the trigger. checkLedgerInvariants (shared/quota/ledger.ts)
--    already expects a release for any finished status other than done; user_task_counts keys its
--    status as VARCHAR (migration 008), so it counts cancelled tasks as they are.
-- 2. Retry (POST /task/retry/{taskId}): the new task names the task it re-runs, and the client's
--    Idempotency-Key is kept with it, unique per user, so one key makes at most one new task.
-- 3. Costs (GET /admin/costs): RunningHub's run time (`taskCostTime`, seconds) beside its coins
--    (vendor_cost, `consumeCoins`), recorded when the task completes (the day range reads idx_tasks_created, migration 005).
ALTER TABLE tasks
  MODIFY status ENUM('processing', 'done', 'failed', 'cancelled') NOT NULL,
  ADD COLUMN original_task_id VARCHAR(40) NULL,
  ADD COLUMN idempotency_key VARCHAR(64) NULL,
  ADD COLUMN vendor_run_seconds INT UNSIGNED NULL,
  ADD UNIQUE KEY uq_tasks_user_idempotency (user_id, idempotency_key);
