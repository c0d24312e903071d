-- The RunningHub webhook finds its task by the token in its URL (the body is unsigned and only a
-- hint), so the token is unique and indexed. NULL for tasks without a webhook (basic_clean).
ALTER TABLE tasks ADD UNIQUE KEY uq_tasks_webhook_token (webhook_token);
