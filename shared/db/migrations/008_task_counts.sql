-- Per-user task counts by status, so GET /task/list answers its total from one or a few primary-key
-- rows instead of counting (or window-counting) every task of the user. Kept by triggers on tasks
-- inside the writing statement's own transaction, so a count never disagrees with committed rows.
-- status is VARCHAR, not the tasks ENUM: a new task state needs no change here.
CREATE TABLE user_task_counts (
  user_id CHAR(12) NOT NULL,
  status VARCHAR(16) NOT NULL,
  task_count INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, status),
  CONSTRAINT fk_user_task_counts_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Several triggers per event are allowed (MariaDB >= 10.2, MySQL >= 5.7); these are named for the
-- counts so others can sit beside them.
-- Lock order: every task write takes the user's row before the user's count rows. Creating a task
-- does so already (the quota hold updates users, then the task INSERT and its FK check), so a status
-- change locks the user first too; otherwise a finishing task (count, then users through the ledger)
-- and a new task of the same user (users, then count) could deadlock. Inserting a count row
-- share-locks users through its FK even on the duplicate-key path, so the row is taken for update
-- first rather than upgraded. The decrement never goes below zero: a drifted count must never make
-- a task's own write fail (an UNSIGNED underflow is an error in strict mode).
CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks FOR EACH ROW
  INSERT INTO user_task_counts (user_id, status, task_count) VALUES (NEW.user_id, NEW.status, 1)
  ON DUPLICATE KEY UPDATE task_count = task_count + 1;

CREATE TRIGGER tasks_count_update AFTER UPDATE ON tasks FOR EACH ROW
BEGIN
  DECLARE locked_user CHAR(12);
  IF NEW.status <> OLD.status OR NEW.user_id <> OLD.user_id THEN
    SELECT id INTO locked_user FROM users WHERE id = NEW.user_id FOR UPDATE;
    UPDATE user_task_counts SET task_count = task_count - 1
     WHERE user_id = OLD.user_id AND status = OLD.status AND task_count > 0;
    INSERT INTO user_task_counts (user_id, status, task_count) VALUES (NEW.user_id, NEW.status, 1)
    ON DUPLICATE KEY UPDATE task_count = task_count + 1;
  END IF;
END;

-- Tasks are never deleted by the application; an operator's DELETE keeps the counts right too.
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks FOR EACH ROW
  UPDATE user_task_counts SET task_count = task_count - 1
   WHERE user_id = OLD.user_id AND status = OLD.status AND task_count > 0;

-- Backfill after the triggers exist, with absolute values: under REPEATABLE READ the INSERT ... SELECT
-- share-locks the task rows it reads, so a task written during the migration either commits before
-- it is counted here or applies its trigger's +1 after this statement has set the absolute count.
-- (A derived table rather than VALUES(), which MySQL 8.0.20+ deprecates.)
INSERT INTO user_task_counts (user_id, status, task_count)
SELECT counted.user_id, counted.status, counted.n FROM (SELECT user_id, status, COUNT(*) AS n FROM tasks GROUP BY user_id, status) counted
ON DUPLICATE KEY UPDATE task_count = counted.n;
