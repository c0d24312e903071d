import { config, type Config } from '../config';
import { ALIPAY_PRODUCTION_GATEWAY, createAlipay, type Alipay } from '../vendors/alipay';
import { readPrivateKey, readPublicKey, readPublicKeyMap } from '../vendors/payment-keys';
import { createWechatOAuth, WECHAT_OAUTH_PRODUCTION_URL, type WechatOAuth } from '../vendors/wechat-oauth';
import { createWechatPay, WECHAT_PAY_PRODUCTION_URL, type WechatPay } from '../vendors/wechat-pay';
import type { PaymentPorts } from '../payments/ports';

/**
 * The payment platform ports of this function instance (the composition root, shared/wiring/),
 * each built on first use (keys parsed once, not at cold start, and not at all by functions that
 * never pay) and kept for the life of the instance. Built from configuration only: tests point the
 * URLs at the sandbox.
 */

function wechatPayFrom(settings: Config): WechatPay {
  return createWechatPay({
    baseUrl: settings.WECHAT_PAY_BASE_URL ?? WECHAT_PAY_PRODUCTION_URL,
    appId: settings.WECHAT_APP_ID,
    mchId: settings.WECHAT_MCH_ID,
    serialNo: settings.WECHAT_MCH_SERIAL_NO,
    privateKey: readPrivateKey(settings.WECHAT_MCH_PRIVATE_KEY, 'WECHAT_MCH_PRIVATE_KEY'),
    apiV3Key: settings.WECHAT_APIV3_KEY,
    publicKeys: readPublicKeyMap(settings.WECHAT_PAY_PUBLIC_KEYS, 'WECHAT_PAY_PUBLIC_KEYS'),
    notifyUrl: settings.PAYMENT_NOTIFY_URL,
    returnUrl: settings.PAYMENT_RETURN_URL,
  });
}

function alipayFrom(settings: Config): Alipay {
  return createAlipay({
    gatewayUrl: settings.ALIPAY_GATEWAY_URL ?? ALIPAY_PRODUCTION_GATEWAY,
    appId: settings.ALIPAY_APP_ID,
    sellerId: settings.ALIPAY_SELLER_ID,
    privateKey: readPrivateKey(settings.ALIPAY_PRIVATE_KEY, 'ALIPAY_PRIVATE_KEY'),
    alipayPublicKey: readPublicKey(settings.ALIPAY_PUBLIC_KEY, 'ALIPAY_PUBLIC_KEY'),
    notifyUrl: settings.PAYMENT_NOTIFY_URL,
    returnUrl: settings.PAYMENT_RETURN_URL,
  });
}

let wechatPay: WechatPay | undefined;
let alipay: Alipay | undefined;
let wechatOAuth: WechatOAuth | undefined;

export const paymentPorts: PaymentPorts = {
  get wechatPay() {
    wechatPay ??= wechatPayFrom(config());
    return wechatPay;
  },
  get alipay() {
    alipay ??= alipayFrom(config());
    return alipay;
  },
  get wechatOAuth() {
    wechatOAuth ??= createWechatOAuth({
      baseUrl: config().WECHAT_OAUTH_BASE_URL ?? WECHAT_OAUTH_PRODUCTION_URL,
      appId: config().WECHAT_APP_ID,
      appSecret: config().WECHAT_APP_SECRET,
    });
    return wechatOAuth;
  },
};
