-- Sliding-log rate limits (docs/decisions/0004): one row per key with the times of its accepted
-- hits that may still fall inside the window, oldest first. The row doubles as the key's lock, so
-- concurrent checks of one key count one after another. Replaces rate_limits' fixed windows,
-- which let twice the limit through around a window edge; that table is no longer written.
CREATE TABLE rate_limit_logs (
  bucket VARCHAR(191) NOT NULL,
  -- Comma-separated epoch milliseconds; at most `limit` entries survive each write.
  hits MEDIUMTEXT NOT NULL,
  -- When the newest hit leaves the window: from then on the row counts nothing and may be deleted.
  expires_at DATETIME(3) NOT NULL,
  PRIMARY KEY (bucket),
  KEY idx_rate_log_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
