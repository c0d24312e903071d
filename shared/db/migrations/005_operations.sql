-- Operations: the sweeper's claims and the indexes behind the admin lists.

-- A sweeper that must call a vendor before it can settle something (a RunningHub task's last
-- status check) claims it here first, inside the short
-- transaction that locked the row with FOR UPDATE SKIP LOCKED, so an overlapping or retried run
-- skips it instead of calling the vendor twice. The claim lapses by itself (a crashed run leaves
-- nothing stuck); the row that decides the outcome is still changed only by a conditional UPDATE.
CREATE TABLE sweep_claims (
  kind VARCHAR(16) NOT NULL,
  subject VARCHAR(64) NOT NULL,
  claimed_until DATETIME(3) NOT NULL,
  PRIMARY KEY (kind, subject),
  KEY idx_sweep_claims_until (claimed_until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- GET /admin/users pages newest first.
ALTER TABLE users ADD KEY idx_users_created (created_at, id);
-- GET /admin/tasks pages newest first, optionally by status (idx_tasks_status_created exists).
ALTER TABLE tasks ADD KEY idx_tasks_created (created_at, id);
-- GET /admin/failed-tasks: failed in the last N days, newest failure first.
ALTER TABLE tasks ADD KEY idx_tasks_status_finished (status, finished_at);

-- Lapsed memberships whose expiry the ledger has not recorded yet, found by index instead of a
-- scan over every membership that ever lapsed (the sweeper asks every minute). Virtual, so it is
-- always derived from the two columns the ledger maintains and can never go stale.
ALTER TABLE users ADD COLUMN membership_expiry_due TINYINT AS (member_expires_at IS NOT NULL AND (quota_expired_through IS NULL OR quota_expired_through < member_expires_at)) VIRTUAL;
ALTER TABLE users ADD KEY idx_users_expiry_due (membership_expiry_due, member_expires_at);
