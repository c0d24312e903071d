-- Membership orders (DESIGN.md "Rules of the money and the quota"): pending → paid | failed.
-- The order id is also the out_trade_no both platforms know it by. Crediting is idempotent three
-- times over: the conditional UPDATE … WHERE status <> 'paid', the ledger's UNIQUE (reference, kind)
-- with reference = the order id, and UNIQUE (channel, platform_trade_no) so one platform payment can
-- never pay two orders. What an order buys (amount, days, quota) is fixed when it is created, so a
-- price change never alters an order already shown to a user. All DATETIME columns hold UTC.
CREATE TABLE orders (
  id VARCHAR(32) NOT NULL,
  user_id CHAR(12) NOT NULL,
  channel ENUM('wx', 'alipay') NOT NULL,
  -- jsapi: inside WeChat (needs an openid); h5: WeChat H5 pay in other browsers; wap: Alipay wap pay.
  pay_method ENUM('jsapi', 'h5', 'wap') NOT NULL,
  status ENUM('pending', 'paid', 'failed') NOT NULL DEFAULT 'pending',
  amount_fen INT UNSIGNED NOT NULL,
  membership_days SMALLINT UNSIGNED NOT NULL,
  quota INT UNSIGNED NOT NULL,
  subject VARCHAR(128) NOT NULL,
  openid VARCHAR(128) NULL,
  -- H5 pay needs the payer's IP; a repeated prepay request must send the same one.
  payer_ip VARCHAR(45) NULL,
  -- What the client needs to pay (JSAPI params, h5Url or payUrl), reused while still valid.
  pay_params JSON NULL,
  pay_params_expire_at DATETIME(3) NULL,
  expires_at DATETIME(3) NOT NULL,
  platform_trade_no VARCHAR(64) NULL,
  paid_at DATETIME(3) NULL,
  failed_at DATETIME(3) NULL,
  failure_reason VARCHAR(64) NULL,
  -- Throttles platform queries from status polling (one conditional UPDATE claims a slot).
  last_queried_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_orders_platform_trade (channel, platform_trade_no),
  KEY idx_orders_user_status_created (user_id, status, created_at),
  KEY idx_orders_status_expires (status, expires_at),
  CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT chk_orders_amount_positive CHECK (amount_fen > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
