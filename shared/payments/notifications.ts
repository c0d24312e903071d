import { asError, ServiceBusyError } from '../errors';
import { logger } from '../logger';
import type { PaymentPorts } from './ports';
import { settleRefundReport } from './refunds';
import { securityEvent, settleReport, type Settlement } from './settlement';
import type { Channel } from '../vendors/payment-types';
import { wechatReport } from '../vendors/wechat-pay';

/**
 * POST /membership/payment-callback: one URL for both platforms (WeChat's notify_url may not carry
 * a query string), told apart by the request. WeChat's refund notifications (REFUND.SUCCESS,
 * REFUND.ABNORMAL, REFUND.CLOSED; the refund requests name this URL) come here too, told apart by
 * their signed event_type (shared/payments/refunds.ts settles them). Each platform gets the reply
 * it is specified to read (payments.md §1.5, §2.2):
 *   WeChat: 204 with no body when handled; 4xx/5xx with {"code":"FAIL","message":…} otherwise,
 *           which makes WeChat deliver again later (15 times over about a day).
 *   Alipay: exactly `success` when handled; `fail` otherwise (Alipay re-sends anything else, about
 *           8 times over 25 hours).
 * "Handled" includes a genuinely signed notification that can never be credited (another amount,
 * currency, app or merchant, an order of the other platform, an unknown order): re-sending cannot
 * change it, so it is acknowledged, after settlement recorded it as a payment anomaly for a person.
 * Only what we could not verify or could not process (forged, stale, undecryptable, malformed, our
 * database down) gets a failure reply. Nothing here trusts the request before its signature
 * verified; nothing throws to the caller.
 */
export interface CallbackReply {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface IncomingNotification {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body bytes, as signed. */
  readonly body: Buffer;
}

const wechatAck: CallbackReply = { status: 204, body: '', headers: {} };
const wechatFail = (status: number, message: string): CallbackReply => ({
  status,
  body: JSON.stringify({ code: 'FAIL', message }),
  headers: { 'content-type': 'application/json; charset=utf-8' },
});
const alipayReply = (status: number, body: 'success' | 'fail'): CallbackReply => ({ status, body, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * A reply that makes the platform deliver again: 503 with Retry-After while the database has no
 * connection to give (nothing was written), else 500.
 */
function tryAgainLater(error: unknown, reply: (status: number) => CallbackReply): CallbackReply {
  if (!(error instanceof ServiceBusyError)) return reply(500);
  const busy = reply(503);
  return { ...busy, headers: { ...busy.headers, 'retry-after': String(error.retryAfterSeconds ?? 3) } };
}

/** Which platform sent this: WeChat signs in Wechatpay-* headers; Alipay posts a signed form. */
export function platformOf(notification: IncomingNotification): Channel | undefined {
  const { headers, body } = notification;
  if (Object.keys(headers).some((name) => name.startsWith('wechatpay-'))) return 'wx';
  const contentType = headers['content-type'] ?? '';
  if (/application\/x-www-form-urlencoded/i.test(contentType)) return 'alipay';
  if (/application\/json/i.test(contentType)) return 'wx';
  const start = body.subarray(0, 1).toString('utf8');
  if (start === '{') return 'wx';
  if (/(^|&)sign=/.test(body.toString('utf8'))) return 'alipay';
  return undefined;
}

export async function handlePaymentNotification(notification: IncomingNotification, ports: PaymentPorts): Promise<CallbackReply> {
  const platform = platformOf(notification);
  if (platform === 'alipay') return handleAlipay(notification, ports);
  if (platform === 'wx') return handleWechat(notification, ports);
  logger.warn('payment callback of no known platform', { contentType: notification.headers['content-type'] ?? null, bytes: notification.body.length });
  return wechatFail(400, 'unrecognised notification');
}

/**
 * Every settlement of a verified notification is final: credited, a duplicate, not a payment, or a
 * payment anomaly that settlement has recorded (mismatch, unknown order). Re-sending cannot change
 * any of them, so the platform is told to stop. A settlement that could not finish (the database)
 * throws instead and gets a 500, so the platform re-sends. A new outcome must choose its reply here.
 */
function wechatReplyFor(settlement: Settlement): CallbackReply {
  switch (settlement.outcome) {
    case 'credited':
    case 'already-paid':
    case 'not-paid':
    case 'unknown-order':
    case 'mismatch':
      return wechatAck;
  }
}

function alipayReplyFor(settlement: Settlement): CallbackReply {
  switch (settlement.outcome) {
    case 'credited':
    case 'already-paid':
    case 'not-paid':
    case 'unknown-order':
    case 'mismatch':
      return alipayReply(200, 'success');
  }
}

async function handleWechat(notification: IncomingNotification, ports: PaymentPorts): Promise<CallbackReply> {
  try {
    const reading = ports.wechatPay.readNotification(notification.headers, notification.body);
    switch (reading.kind) {
      case 'rejected':
        switch (reading.reason) {
          case 'probe':
            logger.info('wechat pay signature probe answered');
            return wechatFail(401, 'signature verification failed');
          case 'missing-headers':
          case 'malformed':
            logger.warn('malformed wechat pay notification', { reason: reading.reason });
            return wechatFail(400, 'malformed notification');
          case 'undecryptable':
            // The signature verified, so this is WeChat's; a resource we cannot open means our APIv3 key is wrong.
            logger.error('wechat pay notification could not be decrypted (check WECHAT_APIV3_KEY)');
            return wechatFail(400, 'resource could not be decrypted');
          default:
            securityEvent({ channel: 'wx', source: 'notification', reason: reading.reason });
            return wechatFail(401, 'signature verification failed');
        }
      case 'ignored':
        logger.info('wechat pay notification of another kind acknowledged', { eventType: reading.eventType, eventId: reading.eventId });
        return wechatAck;
      case 'transaction':
        return wechatReplyFor(await settleReport(wechatReport(reading.transaction), 'notification', ports));
      case 'refund':
        // Every settlement of a verified refund notification is final (refunded, a duplicate, still
        // processing, failed, or a mismatch logged as a security event): acknowledged. A database
        // failure throws and is answered 500 below, so WeChat delivers it again.
        await settleRefundReport(reading.refund, 'notification', ports);
        return wechatAck;
    }
  } catch (error) {
    logger.error('wechat pay notification failed', { error: asError(error) });
    return tryAgainLater(error, (status) => wechatFail(status, status === 503 ? 'busy, try again' : 'internal error'));
  }
}

async function handleAlipay(notification: IncomingNotification, ports: PaymentPorts): Promise<CallbackReply> {
  try {
    const reading = ports.alipay.readNotification(notification.body);
    if (reading.kind === 'rejected') {
      if (reading.reason === 'bad-signature') securityEvent({ channel: 'alipay', source: 'notification', reason: 'bad signature' });
      else logger.warn('malformed alipay notification');
      return alipayReply(400, 'fail');
    }
    return alipayReplyFor(await settleReport(reading.report, 'notification', ports));
  } catch (error) {
    logger.error('alipay notification failed', { error: asError(error) });
    return tryAgainLater(error, (status) => alipayReply(status, 'fail'));
  }
}
