import { int, optionalText, secret, setting, text } from './define';

/**
 * Settings of the payments area: the membership product, orders, WeChat Pay v3 (JSAPI + H5), WeChat
 * OAuth (openid) and Alipay (wap pay). How keys may be written and how each value is used:
 * docs/payments.md. Every id and key is declared with secret(): required in production, with a
 * sandbox value locally (infra/sandbox/payment-keys.ts), so production can never fall back to the
 * committed test keys. Keys are read lazily by shared/wiring/payments.ts, not at cold start.
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
  PAYMENT_NOTIFY_URL: secret(
    'Absolute URL of POST /membership/payment-callback the platforms notify (https, ICP-filed domain, no query string); not secret, required in production',
    'http://127.0.0.1:3000/api/membership/payment-callback',
  ),
  PAYMENT_RETURN_URL: setting(optionalText(), 'H5 page the browser returns to after paying (Alipay return_url and quit_url, WeChat H5 redirect_url); optional'),

  WECHAT_APP_ID: secret('WeChat service-account AppID bound to the merchant (JSAPI, H5 pay and OAuth); not secret, required in production', 'wx5a9d7c3e1b2f4a01'),
  WECHAT_APP_SECRET: secret('WeChat service-account AppSecret (OAuth code → openid)', 'sandbox0wechat0oauth0app0secret1'),
  WECHAT_MCH_ID: secret('WeChat Pay merchant id (mchid); not secret, required in production', '1900000109'),
  WECHAT_MCH_SERIAL_NO: secret('Serial number of the merchant API certificate (serial_no in request signatures); not secret, required in production', '5A2B3C4D5E6F708192A3B4C5D6E7F80910111213'),
  WECHAT_MCH_PRIVATE_KEY: secret(`Merchant API private key apiclient_key.pem (${keyFormats})`, 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC06I92azHRsXD13LBjV5OBrdCHtcUeoZ+r2jZcCtkxmGQKbBZgdN7hOn2Xj3REZ5qAwiZaozgPNhFSL1ZrF8c0TRayQtqStirNKQpdE/75FAa2XjObri4wjIOwwtBFNec1JqyVREEIAZrJ8om9sq7tFykifFz22u7qt3/WMrhpAHW99S0kbL1dKt1/Qv2XhVwoTxX4E7DNBrnXEqc25VYFin89N1R5TfAxXEeNz6y7bNhT+5YV9MLqTjMQgl3he7z4LlIT2y9mNj2t7p7zGMk3tA8uLZ6hfr6Lge9rBfwD8zTQYXBLCqzgZruw5oJH7ihReP9zstvnzNuKiaHpdecdAgMBAAECggEABHj4bQTO7UB+CrILUVVtsefOb0B88FouFKVXMTTadEmwdXqBHh7dkMNtrfTPus416WeDY7vDy8p6KKY/dHPYyq/6NuuEtFpZGgvg8/al19oZJWKUU429mhkrO1BBrmhcADoly6XtlqlVfpcmtSApB3cKXw4kjTzR6c8iE7Vazku4L9C7kpwCpyg3dVxd26mwm4CQcLDSeO7ktC52a7VB2rxPlV2xztBBaxuaA9wXMSmxqIDLYZhAkpsgLJ9XpJoH71hJ6HGgNXzDhJul9g0pWiV4GtO3tRs30EMIRtIwmDCxZikf6qyr93SzKDExTPi+yudzRLKQgX7CtCuudRjxqQKBgQDqBVH6P2PfNxXxvBlolZ2OI/Jhq+NNm0jFOhqPrUXPSAF1oB8lXK3nAafofVmVfgvn3NlV5XCZCgAlCxyXKRCM9+IMZg8D500osyRn0MwZU5htwC080jAd2S9I82TQCSLIuSiN6qFZtsR7/C9/2eaBvG7fKlJmIIQX+gxx/JIJtQKBgQDF5ju57k3VPBqXOE7LyhWVBw99oPRINwRIlBhEst9jWXSa6A+p/srlddqCTfI7OUnmSF+InFSUO5kFaQ26Z7toCCmhUmOWzLDBBdLa3qfyjtsCHlufLmVGIEai20EKvViauVOnMp3qqi4j6jjEtGlpQSR8I/UG+KggC4KoUSgoyQKBgD9hzYAvpwcPzlu4jFEtJI0Y407c1SVxx1XTlNoRHfU0FWEcSxM9dMQ6SJXJTXgVuXfE8wA2sjZg5QUja0ztjFQB1zFweuSdwuIhEt0jSgQaBhDDmfz9GJcc+ZeShF1r/AXNUFSPlb/Mpo7GEL9Z7vp4ZLcAqWyLpfsweCpvM8Z5AoGAHU2B+n32uGQ1675CrJo3p+FrwcZbZXYABF8pWMLDoQpV4boK17kKgf95Y2H3RB2ve5Gr06aSP4Czn8F2but9LGJJB8ITTPjyEyKxngbqB1hvxViJaICOLlwJGYQtlVGEFSTr5g3wpBaezmKYFUhBc3xZ0qfgWC/pdRU/O30I3UECgYBIVcbam+ZUPqYVm351C3euwminHSajnu/Va8hln4lc8BSonXo83mSqRM53KvQ7UsxGGn7TEAr5UMacpM+aQhyl8OrN4tL0Tq4IvqrkL8/LxbqpE4qDrNttMMamY3IWvD5uiFLptqYL94BRCPagVAew2tyJbXeMS+u13MZm+9PhyA=='),
  WECHAT_APIV3_KEY: secret('APIv3 key: exactly 32 characters, decrypts notification resources (AES-256-GCM)', 'SandboxApiV3Key0123456789abcdefX', 32),
  WECHAT_PAY_PUBLIC_KEYS: secret(
    `WeChat Pay public keys by id (PUB_KEY_ID_… or platform certificate serial) as comma-separated id=key pairs, key being ${keyFormats} (a platform certificate PEM works too)`,
    'PUB_KEY_ID_0119000001092025112100000000000001=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsgWW5lg12VGTf7mbBodmEJmXNOhE9AQ5cp0sTHSQS34t+i6N1oODy6rGC2JLFBcWLVxT13DaF4X9cfJ7ouk1/fbBeMQAZg+9hycP+8tgZpTBW/VevK5qETkMJO4lcsabM1W2n0niMFeOudaYCvnBmcH47GbZFqHpNbKUYOJ0jjDxOxfCjcwHMvRvkJ9Mw7FQ6g07Bou5RTUHgqSzg7ko0cO6vyUCyEiX7mNRWLh7yQiiHTaQ7L7SEgFQZOAVJQtX/sxtlwtDg085KMX8zTs9uxXXaRp/SMjXRyU55tL+UKuX68nGOTw4E0U1GWu0mwbqH7A4awk9cB0zLebFBZLe+wIDAQAB',
  ),
  WECHAT_PAY_BASE_URL: setting(optionalText(), 'Override for https://api.mch.weixin.qq.com (WeChat Pay v3); unset in production', { localValue: 'http://127.0.0.1:3100' }),
  WECHAT_OAUTH_BASE_URL: setting(optionalText(), 'Override for https://api.weixin.qq.com (OAuth code → openid); unset in production', { localValue: 'http://127.0.0.1:3100' }),

  ALIPAY_APP_ID: secret('Alipay application id (app_id); not secret, required in production', '2021000000000001'),
  ALIPAY_SELLER_ID: secret('Alipay seller id (the merchant PID, 2088…) every notification must name; not secret, required in production', '2088000000000001'),
  ALIPAY_PRIVATE_KEY: secret(`Alipay application private key, RSA2 (${keyFormats})`, 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC80yCSgMCUTRKmryOlxgFwzgyktINsVFoKls8uz7H93h/k6Gd0hVKLUskU0RVBeRmIqZHSGgLX64EwjZQvWNZwCsNe0UE+pGkYncBe51yZLdwlzzDSiv8ft18vKiDMfqGSW5/HFapar/kzL9MGWhohjFkaxhNWfpbdNVOsCMZP7slB1Ln8fWfhraQ0apmDGxhPEVzlEOHn96MvgBocX0wJTNG1esC8dep2HENbJItKX2fgBT8Pkh7NdvXCl43tTt8IqIrhF2E2kmF0EDPqnd42jdzllxW1gQcuM49T6zBhBDFrSlyyuZuram3z1w84A6yVSsiNzI3HUcO4qAUQUN4vAgMBAAECggEABK0PWO+mFTtsffvjxyhxEXggzpTq6rNaDs9oCtVVxB8MkNCRptqL6pYeoaksEdvzCN6+I1E3eOu2es0pbBvZ7AxFhRTdZ7Tj0SiEtG3WprNWFwpGFS/KxwrnMEBtqID72Irz/Ja/Jp/ibQF356DAzsv8kZHjmXvMfWaqgSwSrZjM+D0koe9lk1UwYLQ6C8s/ODaXSO5mrccx5SkZdEzn45k0r3ggAHqQeyU/VRKPcfBRNXaLV5UU6NztxWOEwxuz53duGmzCKO0A48zBD+oKZ3wtVyc+quZ0juxDCUwmaikHFs0PzQvJj2svcUxQ69Nm3+TQrrjqEyaY2ESs47B7EQKBgQD4cLS7Kv8dcgnDfHCUMJbYhnZX+HXEylnqTKqez6f0fE7tYR/xomLKTmKn9VcXTZqebuKGg8MuINHBUjLTgeuAyy1W+JodT/jFNMS7l8RQTPqZOZYZgTbIoq7QDhXjqgX9N1BFQwnGHy6+/rE4ATmfF/tVsTUfvZf3MoVu8xCIXwKBgQDCkgeOuXFCF6RYFzLoQF/TuwjvxmvoCywCdWZPkcielbI6stEtqrx9bs+xn5GxowSqPpWg8b7TaflUAbQOLQadwW3PcXQ5y0SgnbadCFHm6piy4usUPsTbasf+aUTAfUda4nbEcLl5d2Y3ODT+JOe4OrKMdj+DnsvO29PVLZ+8MQKBgBHVBSPqEiWq6ch+RhZc5nbkL9pgmxNk8s8+cYC0pvmFcqTXM9PENBMRTUOA+J9TkqWMj/XXv0qwUF3v6HYF/UFhU//KGEXCV7jP8M8GNbEN1W7qEzwBak08YA/O8wNEUOm77qcKCMmPs2tCHLZIYDprHj8oWQfOM/oqRimQiL9BAoGAWeyFw6ffOW2VzgTCyWZfI4sQwUiSPIdVSrmZlHLLJsgGvGxCkvmS7eHV6cDW5CN0l34fR2gTCsCys+mpnteedDCeoL5NuhxA1n6tlHvw5mlMM3j+rren4cTDM8jRNqlv3ghGXdm/Tu0o96Jpk3/Y/GNce+B20E0G4s7kY2UXqzECgYB/FESVR5lqID9rbEyELdFvienHTYiIcYxoNSEHScsXwjP4EGV4OUoRlnzizFF5GoUERboM4Pbmv+Yh2d+tZFBzKwBVG1na4hIYhzTE2OP6UmsUWQrDwWWnJNnyK0/nTdGwCi3y8AxSsrYbf8cGkfNBB1ehLT2h8bCcOLQyzy8x2A=='),
  ALIPAY_PUBLIC_KEY: secret(`Alipay public key (not the application public key) that verifies notifications and answers (${keyFormats})`, 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtXe3N9uChdroHfoEZqvB2uDGTWuES6ej8WJi/eoaELp0KZIyaoZxX0ae6JA1RLLRipJo/yLSGNeIl6Ymj0Gs3J1RDB1GLQDQnj0C2f6JHkWpO1Y/0J1Lr5irLxopXCsG8Ie0UfYcpjRp0wX5y2ziyW1LEnbZbWNyxKaYdE3VkZdZ0mzD1XvgzDz779y/5d1HDWGwAkBUMSIOAP4CvvpG0sP+YL34ZxSN0flS8rfsxCdGPuPdTIFvVTT3Wl0U2c8sZiJG3hW2uhXo62mNjt1qdQtS2slDF7NFdWxJP5WC98W08AlF0lEGzCWowfV2ZUuS0Kq6zMXBp2OwjAgxxd1+QQIDAQAB'),
  ALIPAY_GATEWAY_URL: setting(optionalText(), 'Override for https://openapi.alipay.com/gateway.do; unset in production', { localValue: 'http://127.0.0.1:3100/gateway.do' }),
};
