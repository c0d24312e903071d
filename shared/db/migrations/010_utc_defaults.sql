-- Every DATETIME holds UTC without a session time zone (docs/decisions/0008-utc-without-a-session-time-zone.md).
-- Until now each pooled connection ran SET time_zone = '+00:00', so NOW(3) and CURRENT_TIMESTAMP(3)
-- meant UTC; that SET is gone (a database proxy need not pin a session that set nothing), and the
-- session time zone is now whatever the server's is (TencentDB instances are often created with
-- +08:00). The application's statements read UTC_TIMESTAMP(3) (shared/db/repositories/); here the
-- column defaults and the triggers do the same. Rows already stored are UTC (written under the
-- old SET), so no data changes.
--
-- 1. Defaults: an expression default (MySQL >= 8.0.13, MariaDB >= 10.2.1). ON UPDATE accepts only
--    CURRENT_TIMESTAMP, which is session time, so updated_at is kept by a BEFORE UPDATE trigger
--    instead: a statement that sets updated_at itself keeps its value. Unlike ON UPDATE it also
--    moves when an UPDATE matched the row without changing a value (mysql2 counts matched rows
--    either way, so no caller sees a difference).
-- 2. quota_ledger_post and tasks_settle_hold (migration 009) judge membership against UTC_TIMESTAMP(3);
--    their bodies are otherwise unchanged. Each is dropped and created again while its table is
--    locked for writing, so no ledger INSERT and no task UPDATE can run between the two and miss its
--    posting. The tables their bodies use are locked with them.

ALTER TABLE users
  MODIFY created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  MODIFY updated_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3));
ALTER TABLE otp_codes MODIFY created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3));
ALTER TABLE quota_ledger MODIFY created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3));
ALTER TABLE orders
  MODIFY created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  MODIFY updated_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3));
ALTER TABLE tasks
  MODIFY created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  MODIFY updated_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3));

CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW
  SET NEW.updated_at = IF(NEW.updated_at <=> OLD.updated_at, UTC_TIMESTAMP(3), NEW.updated_at);

CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders FOR EACH ROW
  SET NEW.updated_at = IF(NEW.updated_at <=> OLD.updated_at, UTC_TIMESTAMP(3), NEW.updated_at);

CREATE TRIGGER tasks_updated_at BEFORE UPDATE ON tasks FOR EACH ROW
  SET NEW.updated_at = IF(NEW.updated_at <=> OLD.updated_at, UTC_TIMESTAMP(3), NEW.updated_at);

LOCK TABLES quota_ledger WRITE, tasks WRITE, users WRITE, user_task_counts WRITE;

DROP TRIGGER IF EXISTS quota_ledger_post;
CREATE TRIGGER quota_ledger_post BEFORE INSERT ON quota_ledger FOR EACH ROW
BEGIN
  DECLARE balance_now INT;
  -- A repeated (reference, kind) is refused as the unique key would, before any condition is read.
  IF EXISTS (SELECT 1 FROM quota_ledger WHERE reference = NEW.reference AND kind = NEW.kind) THEN
    SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = 'quota_ledger: this reference already has an entry of this kind', MYSQL_ERRNO = 1062;
  END IF;
  IF NEW.kind = 'hold' THEN
    UPDATE users SET quota_balance = quota_balance + NEW.delta
     WHERE id = NEW.user_id AND member_expires_at > UTC_TIMESTAMP(3) AND quota_balance + NEW.delta >= 0;
    IF ROW_COUNT() = 0 THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'quota_ledger: hold refused (not a member, or no quota left)';
    END IF;
  ELSEIF NEW.delta <> 0 THEN
    UPDATE users SET quota_balance = quota_balance + NEW.delta WHERE id = NEW.user_id;
  END IF;
  -- A locking read: current even for a delta of 0, which changes no row.
  SELECT quota_balance INTO balance_now FROM users WHERE id = NEW.user_id FOR UPDATE;
  SET NEW.balance_after = balance_now;
END;

DROP TRIGGER IF EXISTS tasks_settle_hold;
CREATE TRIGGER tasks_settle_hold AFTER UPDATE ON tasks FOR EACH ROW FOLLOWS tasks_count_update
BEGIN
  DECLARE member TINYINT;
  IF OLD.status = 'processing' AND NEW.status <> 'processing'
     AND EXISTS (SELECT 1 FROM quota_ledger WHERE reference = NEW.id AND kind = 'hold')
     AND NOT EXISTS (SELECT 1 FROM quota_ledger WHERE reference = NEW.id AND kind IN ('confirm', 'release')) THEN
    IF NEW.status = 'done' THEN
      INSERT INTO quota_ledger (user_id, kind, reference, delta) VALUES (NEW.user_id, 'confirm', NEW.id, 0);
    ELSE
      SELECT (member_expires_at IS NOT NULL AND member_expires_at > UTC_TIMESTAMP(3)) INTO member FROM users WHERE id = NEW.user_id FOR UPDATE;
      INSERT INTO quota_ledger (user_id, kind, reference, delta, note)
      VALUES (NEW.user_id, 'release', NEW.id, IF(member, 1, 0), IF(member, NULL, 'membership lapsed'));
    END IF;
  END IF;
END;

UNLOCK TABLES;
