-- Signed completion webhooks (issue 10 item 5; docs/decisions/0012-client-webhooks.md).
--
-- tasks.callback_url: where the owner wants the task's JSON POSTed when it ends.
-- webhook_secrets: one signing secret per user (`whsec_<base64>`), created on first use.
-- webhook_deliveries: one row per task end (UNIQUE task_id), written by the trigger below in the
--   very statement that ends the task, so an end can never lose its delivery whoever ended it
--   (create, poll, webhook, sweeper, cancel). `webhook_id` is the Standard Webhooks message id,
--   the same on every attempt. `next_attempt_at` is both the retry schedule and the lease of an
--   attempt in flight; the payload is fixed by the first attempt. All DATETIME columns hold UTC.
ALTER TABLE tasks ADD COLUMN callback_url VARCHAR(2048) NULL AFTER webhook_token;

CREATE TABLE webhook_secrets (
  user_id CHAR(12) NOT NULL,
  secret VARCHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  rotated_at DATETIME(3) NULL,
  PRIMARY KEY (user_id),
  CONSTRAINT fk_webhook_secrets_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE webhook_deliveries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  task_id VARCHAR(40) NOT NULL,
  user_id CHAR(12) NOT NULL,
  webhook_id VARCHAR(64) NOT NULL,
  url VARCHAR(2048) NOT NULL,
  payload JSON NULL,
  status ENUM('pending', 'delivered', 'failed') NOT NULL DEFAULT 'pending',
  attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL,
  last_status_code SMALLINT UNSIGNED NULL,
  last_error VARCHAR(255) NULL,
  delivered_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_webhook_deliveries_task (task_id),
  KEY idx_webhook_deliveries_due (status, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The end of a task with a callback URL queues its delivery in the same statement (like
-- tasks_settle_hold, migration 009). It reads nothing; INSERT IGNORE keeps it to one per task.
CREATE TRIGGER tasks_queue_webhook AFTER UPDATE ON tasks FOR EACH ROW
BEGIN
  IF OLD.status = 'processing' AND NEW.status <> 'processing' AND NEW.callback_url IS NOT NULL THEN
    INSERT IGNORE INTO webhook_deliveries (task_id, user_id, webhook_id, url, status, attempts, next_attempt_at)
    VALUES (NEW.id, NEW.user_id, CONCAT('msg_', NEW.id), NEW.callback_url, 'pending', 0, UTC_TIMESTAMP(3));
  END IF;
END;
