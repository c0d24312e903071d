-- The quota ledger (DESIGN.md "Rules of the money and the quota"): append-only entries; the
-- cached users.quota_balance is changed in the same transaction as each entry.
-- kind: grant (+N, a paid order), hold (-1, a task starts), confirm (0, the task succeeded),
--       release (+1, the task failed; 0 when the membership lapsed meanwhile), expire (-balance).
CREATE TABLE quota_ledger (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id CHAR(12) NOT NULL,
  kind ENUM('grant', 'hold', 'confirm', 'release', 'expire') NOT NULL,
  reference VARCHAR(64) NOT NULL,
  delta INT NOT NULL,
  balance_after INT NOT NULL,
  note VARCHAR(64) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_ledger_reference_kind (reference, kind),
  KEY idx_ledger_user (user_id, id),
  CONSTRAINT fk_ledger_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The membership expiry whose quota expiry is already recorded (NULL: none yet).
ALTER TABLE users ADD COLUMN quota_expired_through DATETIME(3) NULL AFTER quota_balance;
ALTER TABLE users ADD KEY idx_users_member_expires (member_expires_at);
