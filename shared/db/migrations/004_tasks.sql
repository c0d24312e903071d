-- Image tasks (DESIGN.md "The task id and the upload"). One row per task id; the quota hold for
-- a task is the ledger entry whose reference is the task id.
CREATE TABLE tasks (
  id VARCHAR(40) NOT NULL,
  user_id CHAR(12) NOT NULL,
  type ENUM('basic_clean', 'model_pose12') NOT NULL,
  status ENUM('processing', 'done', 'failed') NOT NULL,
  input_key VARCHAR(255) NOT NULL,
  params JSON NOT NULL,
  result_keys JSON NULL,
  error_code SMALLINT UNSIGNED NULL,
  error_reason VARCHAR(255) NULL,
  vendor ENUM('ci', 'runninghub') NOT NULL,
  vendor_task_id VARCHAR(32) NULL,
  webhook_token CHAR(43) NULL,
  vendor_cost VARCHAR(32) NULL,
  deadline_at DATETIME(3) NOT NULL,
  next_poll_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  finished_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  KEY idx_tasks_user_created (user_id, created_at, id),
  KEY idx_tasks_user_status_created (user_id, status, created_at, id),
  KEY idx_tasks_status_deadline (status, deadline_at),
  KEY idx_tasks_status_created (status, created_at),
  KEY idx_tasks_vendor_task (vendor_task_id),
  CONSTRAINT fk_tasks_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
