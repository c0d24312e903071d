-- The task trail's fixed steps are written by the statement that makes them true (issue 9 item 4:
-- create within its statement budget; docs/decisions/0016-trail-follows-tasks.md), as the ledger's
-- postings are (tasks_settle_hold, migration 009) and the client webhook's delivery is
-- (tasks_queue_webhook, migration 017):
--   * the task's INSERT: `created`, and `quota_held` + `input_checked` when its hold exists (only
--     POST /task/create writes a hold, after checking the input: shared/tasks/create.ts);
--   * the RunningHub run id's UPDATE: `moderation` (passed: the run starts only after screening)
--     and `vendor_submitted`;
--   * the end's UPDATE: `done` | `failed` {code} | `cancelled`, then `quota_confirmed` or
--     `quota_released` as the ledger now says (read after tasks_settle_hold posted; a release of 0
--     for a lapsed membership returned nothing, so it is not called returned).
-- Once keys are those of shared/tasks/events.ts (the kind; 'end'; 'quota_end'), so a step the
-- application appends too changes nothing. INSERT IGNORE: a trail row never fails its task's write.
CREATE TRIGGER tasks_trail_insert AFTER INSERT ON tasks FOR EACH ROW FOLLOWS tasks_count_insert
BEGIN
  INSERT IGNORE INTO task_events (task_id, user_id, kind, data, once_key) VALUES (NEW.id, NEW.user_id, 'created', NULL, 'created');
  IF EXISTS (SELECT 1 FROM quota_ledger WHERE reference = NEW.id AND kind = 'hold') THEN
    INSERT IGNORE INTO task_events (task_id, user_id, kind, data, once_key)
    VALUES (NEW.id, NEW.user_id, 'quota_held', NULL, 'quota_held'), (NEW.id, NEW.user_id, 'input_checked', NULL, 'input_checked');
  END IF;
END;

CREATE TRIGGER tasks_trail_update AFTER UPDATE ON tasks FOR EACH ROW FOLLOWS tasks_queue_webhook
BEGIN
  IF OLD.vendor_task_id IS NULL AND NEW.vendor_task_id IS NOT NULL AND NEW.status = 'processing' THEN
    INSERT IGNORE INTO task_events (task_id, user_id, kind, data, once_key)
    VALUES (NEW.id, NEW.user_id, 'moderation', JSON_OBJECT('result', 'pass'), 'moderation'),
           (NEW.id, NEW.user_id, 'vendor_submitted', NULL, 'vendor_submitted');
  END IF;
  IF OLD.status = 'processing' AND NEW.status <> 'processing' THEN
    INSERT IGNORE INTO task_events (task_id, user_id, kind, data, once_key)
    VALUES (NEW.id, NEW.user_id, NEW.status, IF(NEW.status = 'failed', JSON_OBJECT('code', NEW.error_code), NULL), 'end');
    INSERT IGNORE INTO task_events (task_id, user_id, kind, data, once_key)
    SELECT NEW.id, NEW.user_id, IF(l.kind = 'confirm', 'quota_confirmed', 'quota_released'), NULL, 'quota_end'
      FROM quota_ledger l
     WHERE l.reference = NEW.id AND (l.kind = 'confirm' OR (l.kind = 'release' AND l.delta > 0));
  END IF;
END;
