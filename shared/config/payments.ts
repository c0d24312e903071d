import { int, optionalText, secret, setting, text } from './define';

/**
 * Settings of the payments area: the membership product, orders, WeChat Pay v3 (JSAPI + H5), WeChat
 * OAuth (openid) and Alipay (wap pay). How keys may be written and how each value is used:
 * docs/payments.md. Every id and key is declared with secret(): required in production, with a
 * sandbox value locally (the merchant halves of infra/sandbox/payment-keys.ts, kept in
 * infra/local/sandbox-defaults.json and read only outside production, so no bundle carries them),
 * so production can never fall back to the committed test keys. Keys are read lazily by
 * shared/wiring/payments.ts, not at cold start.
 */

/** Key material: PEM text (real or \n-escaped newlines), the base64 body of a PEM on one line, or a file path. */
const keyFormats = 'PEM text, its one-line base64 body, or a path to a .pem file';

export const paymentsSettings = {
  MEMBERSHIP_PRICE_FEN: setting(int(9900, 1), 'Price of one membership order in fen (9900 = ¥99.00)'),
  MEMBERSHIP_DAYS: setting(int(30, 1), 'Days one paid order adds, counted from the later of now and the current expiry'),
  MEMBERSHIP_QUOTA: setting(int(100, 1), 'Quota one paid order grants; it expires with the membership'),
  MEMBERSHIP_SUBJECT: setting(text('AI照片会员月卡'), 'What the payment page shows (WeChat description, Alipay subject; ≤ 127 characters, no / = &)'),
  ORDER_VALIDITY_MINUTES: setting(int(30, 5), 'Minutes an order stays payable (sent as time_expire); later the sweeper reconciles and closes it'),
  PAYMENT_QUERY_AFTER_SECONDS: setting(int(10, 0), 'GET /membership/status asks the platform about pending orders older than this (lost notifications)'),
  PAYMENT_QUERY_INTERVAL_SECONDS: setting(int(3, 1), 'At most one platform query per pending order per this many seconds from status polling'),
  PAYMENT_NOTIFY_URL: secret('Absolute URL of POST /membership/payment-callback the platforms notify (https, ICP-filed domain, no query string); not secret, required in production'),
  PAYMENT_RETURN_URL: setting(optionalText(), 'H5 page the browser returns to after paying (Alipay return_url and quit_url, WeChat H5 redirect_url); optional'),

  WECHAT_APP_ID: secret('WeChat service-account AppID bound to the merchant (JSAPI, H5 pay and OAuth); not secret, required in production'),
  WECHAT_APP_SECRET: secret('WeChat service-account AppSecret (OAuth code → openid)'),
  WECHAT_MCH_ID: secret('WeChat Pay merchant id (mchid); not secret, required in production'),
  WECHAT_MCH_SERIAL_NO: secret('Serial number of the merchant API certificate (serial_no in request signatures); not secret, required in production'),
  WECHAT_MCH_PRIVATE_KEY: secret(`Merchant API private key apiclient_key.pem (${keyFormats})`),
  WECHAT_APIV3_KEY: secret('APIv3 key: exactly 32 characters, decrypts notification resources (AES-256-GCM)', 32),
  WECHAT_PAY_PUBLIC_KEYS: secret(
    `WeChat Pay public keys by id (PUB_KEY_ID_… or platform certificate serial) as comma-separated id=key pairs, key being ${keyFormats} (a platform certificate PEM works too)`,
  ),
  WECHAT_PAY_BASE_URL: setting(optionalText(), 'Override for https://api.mch.weixin.qq.com (WeChat Pay v3); unset in production'),
  WECHAT_OAUTH_BASE_URL: setting(optionalText(), 'Override for https://api.weixin.qq.com (OAuth code → openid); unset in production'),

  ALIPAY_APP_ID: secret('Alipay application id (app_id); not secret, required in production'),
  ALIPAY_SELLER_ID: secret('Alipay seller id (the merchant PID, 2088…) every notification must name; not secret, required in production'),
  ALIPAY_PRIVATE_KEY: secret(`Alipay application private key, RSA2 (${keyFormats})`),
  ALIPAY_PUBLIC_KEY: secret(`Alipay public key (not the application public key) that verifies notifications and answers (${keyFormats})`),
  ALIPAY_GATEWAY_URL: setting(optionalText(), 'Override for https://openapi.alipay.com/gateway.do; unset in production'),
};
