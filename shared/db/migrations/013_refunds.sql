-- Refunds started by support (docs/payments.md "Refunds", docs/decisions/0011-refund-state-machine.md).
--
-- Orders: paid → refunding (asked the platform: refund_no is the out_refund_no / out_request_no,
-- one per order, so a repeated request refunds once there) → refunded (the platform confirmed;
-- the ledger's `refund` entry and the shortened membership commit in the same transaction).
-- A refund the platform refuses goes back to paid. All DATETIME columns hold UTC.
ALTER TABLE orders
  MODIFY status ENUM('pending', 'paid', 'failed', 'refunding', 'refunded') NOT NULL DEFAULT 'pending',
  ADD COLUMN refund_no VARCHAR(64) NULL AFTER failure_reason,
  ADD COLUMN refund_reason VARCHAR(80) NULL AFTER refund_no,
  ADD COLUMN refund_requested_at DATETIME(3) NULL AFTER refund_reason,
  ADD COLUMN refunded_at DATETIME(3) NULL AFTER refund_requested_at,
  ADD UNIQUE KEY uq_orders_refund_no (refund_no);

-- Ledger: `refund` takes a refunded order's unused quota off the balance, once per order (reference =
-- the order id; (reference, kind) is unique). quota_ledger_post (migrations 009/010) posts any kind but
-- `hold` as `quota_balance + delta` and chk_users_quota_nonnegative refuses a balance below zero, so the
-- trigger accepts it unchanged; the application sizes the delta as -min(order quota, balance) after
-- locking the user's row. A refund never adds quota.
ALTER TABLE quota_ledger
  MODIFY kind ENUM('grant', 'hold', 'confirm', 'release', 'expire', 'refund') NOT NULL,
  ADD CONSTRAINT chk_ledger_refund_not_positive CHECK (kind <> 'refund' OR delta <= 0);
