-- The ledger posts itself, and a task's end carries its ledger entry in the same statement
-- (docs/decisions/0007-ledger-postings-in-the-database.md).
--
-- 1. quota_ledger_post: every ledger INSERT applies its delta to users.quota_balance and records
--    balance_after, inside the INSERT. So the cached balance cannot drift from the ledger sum, and
--    a hold is one conditional statement: it is refused (SQLSTATE 45000) unless the user is a
--    member with enough quota; chk_users_quota_nonnegative refuses any other entry that would go
--    below zero. The row lock taken here serialises one user's postings.
-- 2. tasks_settle_hold: the UPDATE that moves a task out of `processing` writes its settlement:
--    done → confirm (delta 0); failed or cancelled → release (+1 for a member; 0, noted, once the
--    membership lapsed, as the unit expired with it). Only a task with a hold and no resolution
--    yet gets one (tasks from before the ledger have none); (reference, kind) is unique anyway.
-- A trigger may not change a table its invoking statement reads (error 1442): statements on
-- quota_ledger and tasks therefore never read users (shared/db/repositories/).

ALTER TABLE quota_ledger MODIFY balance_after INT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN error_detail VARCHAR(255) NULL AFTER error_reason;

CREATE TRIGGER quota_ledger_post BEFORE INSERT ON quota_ledger FOR EACH ROW
BEGIN
  DECLARE balance_now INT;
  -- A repeated (reference, kind) is refused as the unique key would, before any condition is read.
  IF EXISTS (SELECT 1 FROM quota_ledger WHERE reference = NEW.reference AND kind = NEW.kind) THEN
    SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = 'quota_ledger: this reference already has an entry of this kind', MYSQL_ERRNO = 1062;
  END IF;
  IF NEW.kind = 'hold' THEN
    UPDATE users SET quota_balance = quota_balance + NEW.delta
     WHERE id = NEW.user_id AND member_expires_at > NOW(3) AND quota_balance + NEW.delta >= 0;
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

CREATE TRIGGER tasks_settle_hold AFTER UPDATE ON tasks FOR EACH ROW
BEGIN
  DECLARE member TINYINT;
  IF OLD.status = 'processing' AND NEW.status <> 'processing'
     AND EXISTS (SELECT 1 FROM quota_ledger WHERE reference = NEW.id AND kind = 'hold')
     AND NOT EXISTS (SELECT 1 FROM quota_ledger WHERE reference = NEW.id AND kind IN ('confirm', 'release')) THEN
    IF NEW.status = 'done' THEN
      INSERT INTO quota_ledger (user_id, kind, reference, delta) VALUES (NEW.user_id, 'confirm', NEW.id, 0);
    ELSE
      SELECT (member_expires_at IS NOT NULL AND member_expires_at > NOW(3)) INTO member FROM users WHERE id = NEW.user_id FOR UPDATE;
      INSERT INTO quota_ledger (user_id, kind, reference, delta, note)
      VALUES (NEW.user_id, 'release', NEW.id, IF(member, 1, 0), IF(member, NULL, 'membership lapsed'));
    END IF;
  END IF;
END;
