-- Payment anomalies (docs/payments.md "Payment anomalies"): a platform verifiably said something
-- about an order that can never be credited — a paid report for another amount, currency, app or
-- merchant, for an order of the other platform, or for an order we do not have. The notification is
-- acknowledged (so the platform stops re-sending it for a day) and the fact is kept here for a
-- person to look at (GET /admin/payment-anomalies). Forged or unverifiable notifications never get
-- here. All DATETIME columns hold UTC.
CREATE TABLE payment_anomalies (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  channel ENUM('wx', 'alipay') NOT NULL,
  -- Our order, when we have one by that out_trade_no (NULL: unknown order).
  order_id VARCHAR(32) NULL,
  -- What the platform named (WeChat ≤ 32 characters, Alipay ≤ 64).
  out_trade_no VARCHAR(64) NOT NULL,
  platform_trade_no VARCHAR(64) NULL,
  -- e.g. `amount mismatch`, `app id, merchant id mismatch`, `unknown order`.
  reason VARCHAR(64) NOT NULL,
  -- notification: a signed notification; query: a signed answer to our order query (reconciliation).
  source ENUM('notification', 'query') NOT NULL,
  -- What the platform reported, as it reported it (never keys or bodies).
  platform_state VARCHAR(32) NULL,
  reported_amount_fen BIGINT NULL,
  reported_currency VARCHAR(16) NULL,
  reported_app_id VARCHAR(64) NULL,
  reported_merchant_id VARCHAR(64) NULL,
  -- Re-deliveries of the same fact add to occurrences instead of adding rows.
  occurrences INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL,
  last_seen_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_payment_anomalies_fact (channel, out_trade_no, reason, source),
  -- GET /admin/payment-anomalies: the last N days, newest first.
  KEY idx_payment_anomalies_created (created_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
