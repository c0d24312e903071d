/**
 * Tencent Cloud Captcha `DescribeCaptchaResult` (2019-07-22): the server-side ticket check, signed
 * with TC3 like every Tencent Cloud API action (the signature is checked by tencent-api.ts). The
 * answer is HTTP 200 with CaptchaCode 1 when the ticket is good and another CaptchaCode when it is not,
 * as Tencent does; only malformed requests raise `Response.Error`.
 *
 * Sandbox tickets (the real ones come from the front-end captcha widget):
 * - `sandbox-ok…` with Randstr `sandbox-randstr`: passes once (CaptchaCode 1); again: 9 ticket reused;
 * - `sandbox-ok…` with another Randstr: 7 captcha no match;
 * - `sandbox-evil…`: CaptchaCode 1 with EvilLevel 100 (the request is judged malicious);
 * - `sandbox-expired…`: 8 ticket expired;
 * - anything else: 15 decrypt fail.
 * A wrong CaptchaAppId answers 16, a wrong AppSecretKey 100. Fault `captcha: error` answers every call
 * with `InternalError`. `GET /_sandbox/captcha/checks` lists the checks made, oldest first.
 */
import { SANDBOX_CAPTCHA_APP_ID, SANDBOX_CAPTCHA_APP_SECRET_KEY } from './keys';
import { type Router, sendJson } from './router';
import type { SandboxState } from './state';
import { type TencentApi, TencentApiError, type TencentParams, type TencentResponsePayload, readInteger, readRequiredString } from './tencent-api';

export const CAPTCHA_API_VERSION = '2019-07-22';
export const SANDBOX_CAPTCHA_RANDSTR = 'sandbox-randstr';

export interface CaptchaModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  readonly tencent: TencentApi;
}

interface CaptchaCheck {
  readonly ticket: string;
  readonly userIp: string;
  readonly captchaCode: number;
  readonly evilLevel: number;
}

export function registerCaptcha({ router, state, tencent }: CaptchaModuleContext): void {
  const usedTickets = new Set<string>();
  const checks: CaptchaCheck[] = [];
  state.defineFault('captcha', { defaultValue: 'ok', values: ['ok', 'error'] });
  state.onReset(() => {
    usedTickets.clear();
    checks.length = 0;
  });
  tencent.registerTencentAction('DescribeCaptchaResult', (params) => describeCaptchaResult(state, usedTickets, checks, params), {
    versions: [CAPTCHA_API_VERSION],
  });
  router.add('GET', '/_sandbox/captcha/checks', (_req, res) => {
    sendJson(res, 200, { checks });
  });
}

function describeCaptchaResult(state: SandboxState, usedTickets: Set<string>, checks: CaptchaCheck[], params: TencentParams): TencentResponsePayload {
  if (state.fault('captcha') === 'error') throw new TencentApiError('InternalError', 'An internal error occurred.');
  const captchaType = readInteger(params, 'CaptchaType');
  if (captchaType === undefined) throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `CaptchaType`.');
  if (captchaType !== 9) throw new TencentApiError('InvalidParameterValue', 'CaptchaType must be 9.');
  const ticket = readRequiredString(params, 'Ticket');
  const userIp = readRequiredString(params, 'UserIp');
  const randstr = readRequiredString(params, 'Randstr');
  const appId = readInteger(params, 'CaptchaAppId');
  if (appId === undefined) throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `CaptchaAppId`.');
  const appSecretKey = readRequiredString(params, 'AppSecretKey');

  const [captchaCode, captchaMsg, evilLevel] = judge(usedTickets, { ticket, randstr, appId, appSecretKey });
  checks.push({ ticket, userIp, captchaCode, evilLevel });
  const nowSeconds = Math.floor(Date.now() / 1000);
  return { CaptchaCode: captchaCode, CaptchaMsg: captchaMsg, EvilLevel: evilLevel, GetCaptchaTime: nowSeconds - 5, SubmitCaptchaTime: nowSeconds - 1, EvilBitmap: 0, DeviceRiskCategory: '' };
}

function judge(usedTickets: Set<string>, request: { ticket: string; randstr: string; appId: number; appSecretKey: string }): [number, string, number] {
  if (request.appId !== SANDBOX_CAPTCHA_APP_ID) return [16, 'appid-ticket mismatch', 0];
  if (request.appSecretKey !== SANDBOX_CAPTCHA_APP_SECRET_KEY) return [100, 'appid-secretkey-ticket mismatch', 0];
  if (request.ticket.startsWith('sandbox-expired')) return [8, 'ticket expired', 0];
  if (!request.ticket.startsWith('sandbox-ok') && !request.ticket.startsWith('sandbox-evil')) return [15, 'decrypt fail', 0];
  if (request.randstr !== SANDBOX_CAPTCHA_RANDSTR) return [7, 'captcha no match', 0];
  if (usedTickets.has(request.ticket)) return [9, 'ticket reused', 0];
  usedTickets.add(request.ticket);
  return request.ticket.startsWith('sandbox-evil') ? [1, 'OK', 100] : [1, 'OK', 0];
}
