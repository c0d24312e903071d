import { config } from '../config';
import { asError, PaymentFailedError } from '../errors';
import { logger } from '../logger';
import type { UserRow } from '../users';
import type { PaymentPorts } from './ports';
import { markOrderFailed, payParamsOf, platformRequestOf, reserveOrder, savePayParams, type OrderRow } from './orders';
import { PlatformError, type Channel, type PayMethod, type PayParams } from '../vendors/payment-types';

/**
 * POST /membership/purchase: a pending order for the configured product and what the browser needs
 * to pay it. wx with an openid → JSAPI (inside WeChat); wx without → H5 pay; alipay → wap pay.
 * Asking again while an order of the same kind is payable returns that order, refreshing its pay
 * parameters when they are about to lapse (a platform accepts a repeated order with identical fields).
 */
export interface PurchaseRequest {
  readonly user: UserRow;
  readonly channel: Channel;
  readonly openid: string | undefined;
  readonly clientIp: string;
}

export interface Purchase {
  readonly orderId: string;
  readonly payParams: PayParams;
}

const minute = 60_000;
/** How long a prepay_id lasts (payments.md §1.1), less a margin for the user to finish paying. */
const prepayValidityMs = 2 * 60 * minute - 5 * minute;
/** How long an h5_url lasts. */
const h5UrlValidityMs = 5 * minute;
/** How long a wap pay URL is reused before it is signed again with a fresh timestamp. */
const wapUrlValidityMs = 10 * minute;
/** Stored parameters are handed out only while they have at least this long left. */
const payParamsMarginMs = 30_000;

function payMethodFor(channel: Channel, openid: string | undefined): PayMethod {
  if (channel === 'alipay') return 'wap';
  return openid ? 'jsapi' : 'h5';
}

async function requestPayParams(order: OrderRow, clientIp: string, ports: PaymentPorts): Promise<{ payParams: PayParams; validMs: number }> {
  const request = platformRequestOf(order);
  switch (order.pay_method) {
    case 'jsapi':
      return { payParams: await ports.wechatPay.createJsapiOrder(request, order.openid ?? ''), validMs: prepayValidityMs };
    case 'h5':
      return { payParams: await ports.wechatPay.createH5Order(request, order.payer_ip ?? clientIp), validMs: h5UrlValidityMs };
    case 'wap':
      return { payParams: { payUrl: ports.alipay.wapPayUrl(request) }, validMs: wapUrlValidityMs };
  }
}

export async function purchaseMembership(request: PurchaseRequest, ports: PaymentPorts): Promise<Purchase> {
  const settings = config();
  const payMethod = payMethodFor(request.channel, request.openid);
  const { order, reused } = await reserveOrder({
    userId: request.user.id,
    channel: request.channel,
    payMethod,
    openid: payMethod === 'jsapi' ? (request.openid ?? null) : null,
    payerIp: payMethod === 'h5' ? request.clientIp : null,
    amountFen: settings.MEMBERSHIP_PRICE_FEN,
    days: settings.MEMBERSHIP_DAYS,
    quota: settings.MEMBERSHIP_QUOTA,
    subject: settings.MEMBERSHIP_SUBJECT,
    validityMinutes: settings.ORDER_VALIDITY_MINUTES,
  });

  const now = Date.now();
  const stored = payParamsOf(order);
  if (stored && order.pay_params_expire_at && order.pay_params_expire_at.getTime() - now > payParamsMarginMs) {
    return { orderId: order.id, payParams: stored };
  }

  let fresh: { payParams: PayParams; validMs: number };
  try {
    fresh = await requestPayParams(order, request.clientIp, ports);
  } catch (error) {
    logger.error('payment order could not be placed', {
      orderId: order.id,
      channel: order.channel,
      payMethod: order.pay_method,
      platformCode: error instanceof PlatformError ? error.code : undefined,
      error: error instanceof PlatformError ? undefined : asError(error),
    });
    // A new order nobody can pay must not be handed out again; a reused one may just need a retry.
    if (!reused) await markOrderFailed(order.id, 'order placement failed');
    throw new PaymentFailedError();
  }
  const validUntil = new Date(Math.min(order.expires_at.getTime(), now + fresh.validMs));
  await savePayParams(order.id, fresh.payParams, validUntil);
  return { orderId: order.id, payParams: fresh.payParams };
}
