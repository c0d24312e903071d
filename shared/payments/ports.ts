import type { Alipay } from '../vendors/alipay';
import type { WechatOAuth } from '../vendors/wechat-oauth';
import type { WechatPay } from '../vendors/wechat-pay';

/**
 * The payment platforms as the payment rules reach them, handed in by the composition root
 * (shared/wiring/payments.ts); unit tests hand in fakes (test/unit/payment-settlement.test.ts).
 */
export interface PaymentPorts {
  readonly wechatPay: WechatPay;
  readonly alipay: Alipay;
  readonly wechatOAuth: WechatOAuth;
}
