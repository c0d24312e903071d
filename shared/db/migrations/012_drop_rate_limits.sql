-- The fixed-window rate_limits table was replaced by rate_limit_logs (migration 007) and kept for
-- one release so functions still running the old code kept working mid-deploy
-- (docs/decisions/0004-logging-and-rate-limits.md). That release has passed: nothing reads it.
DROP TABLE IF EXISTS rate_limits;
