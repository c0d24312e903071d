-- The event trail of a task (issue 10 item 4; shared/tasks/events.ts): an append-only list of what
-- happened to it, shown to its owner (GET /task/{taskId}/events, `logs` and `progress` in
-- GET /task/{taskId}). `data` is small and user-safe (never vendor ids, keys or signed URLs).
-- Appends are single INSERTs that read nothing; `once_key` makes a repeated append of the same
-- fact (a second poll seeing the same vendor status, a repeated create, a second copy of frame n)
-- change nothing: one row per (task, once_key), while a NULL once_key never collides.
-- All DATETIME columns hold UTC.
CREATE TABLE task_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  task_id VARCHAR(40) NOT NULL,
  user_id CHAR(12) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  data JSON NULL,
  once_key VARCHAR(48) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  PRIMARY KEY (id),
  KEY idx_task_events_task (task_id, id),
  UNIQUE KEY uq_task_events_once (task_id, once_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
