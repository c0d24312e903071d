/**
 * Tencent Cloud SMS `SendSms` (2021-01-11), plus `GET /_sandbox/sms/latest` so people and tests can read
 * the code that "arrived". Whole-request problems throw (the SDK raises); per-number problems come back
 * inside SendStatusSet with HTTP 200, exactly where real callers must look for them (vendors.md §3).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { SANDBOX_SMS_APP_ID } from './keys';
import { HttpError, type Router, sendJson } from './router';
import type { SandboxState, SentSms } from './state';
import {
  type TencentActionContext,
  type TencentApi,
  TencentApiError,
  type TencentParams,
  type TencentResponsePayload,
  readRequiredString,
  readString,
  readStringArray,
} from './tencent-api';

export const SMS_API_VERSION = '2021-01-11';
/** Regions SMS 2021-01-11 is served from. */
export const SMS_REGIONS: readonly string[] = ['ap-guangzhou', 'ap-beijing', 'ap-nanjing'];
export const MAX_PHONE_NUMBERS = 200;

export interface SmsModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  readonly tencent: TencentApi;
}

export interface SendStatus {
  readonly SerialNo: string;
  readonly PhoneNumber: string;
  readonly Fee: number;
  readonly SessionContext: string;
  readonly Code: string;
  readonly Message: string;
  readonly IsoCode: string;
}

export function registerSms({ router, state, tencent }: SmsModuleContext): void {
  tencent.registerTencentAction('SendSms', (params, ctx) => sendSms(state, params, ctx), {
    versions: [SMS_API_VERSION],
  });
  router.add('GET', '/_sandbox/sms/latest', (_req, res, ctx) => {
    const latest = latestSmsFor(state, ctx.url.searchParams.get('phone'));
    if (!latest) {
      sendJson(res, 404, { error: 'no sms for phone' });
      return;
    }
    sendJson(res, 200, { phone: latest.phone, code: latest.code, sentAt: latest.sentAt });
  });
  // Every SMS to one phone, oldest first: how many a burst of requests really sent.
  router.add('GET', '/_sandbox/sms/sent', (_req, res, ctx) => {
    const key = phoneKey(ctx.url.searchParams.get('phone'));
    const sent = state.sentSms.filter((sms) => sms.phone === key).map((sms) => ({ code: sms.code, sentAt: sms.sentAt }));
    sendJson(res, 200, { phone: key, sent });
  });
}

// ---------------------------------------------------------------------------------------------
// SendSms

interface SendSmsRequest {
  readonly phoneNumbers: readonly string[];
  readonly templateId: string;
  readonly signName: string | null;
  readonly templateParams: readonly string[];
  readonly sessionContext: string;
}

function sendSms(state: SandboxState, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  requireSmsRegion(ctx.region);
  const request = parseSendSmsRequest(params);
  const numbers = request.phoneNumbers.map(parsePhoneNumber);
  rejectMixedNumbers(numbers);
  if (request.signName === null && numbers.some((n) => n.kind === 'mainland')) {
    // Tencent needs the approved signature text for Mainland China SMS; forgetting it is a config bug.
    throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `SignName`.');
  }
  const failing = state.fault('sms') === 'fail';
  const statuses = numbers.map((number) =>
    failing ? frequencyLimited(number, request) : deliver(state, number, request),
  );
  return { SendStatusSet: statuses };
}

function requireSmsRegion(region: string | null): void {
  if (region === null || region === '') {
    throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `Region`.');
  }
  if (!SMS_REGIONS.includes(region)) {
    throw new TencentApiError('UnsupportedRegion', `SendSms does not support the region \`${region}\`.`);
  }
}

function parseSendSmsRequest(params: TencentParams): SendSmsRequest {
  const appId = readRequiredString(params, 'SmsSdkAppId');
  if (appId !== SANDBOX_SMS_APP_ID) {
    throw new TencentApiError(
      'UnauthorizedOperation.SmsSdkAppIdVerifyFail',
      `SmsSdkAppId ${appId} does not belong to this account (the sandbox app is ${SANDBOX_SMS_APP_ID}).`,
    );
  }
  const templateId = readRequiredString(params, 'TemplateId');
  const phoneNumbers = readStringArray(params, 'PhoneNumberSet') ?? [];
  if (phoneNumbers.length === 0) {
    throw new TencentApiError('MissingParameter.EmptyPhoneNumberSet', 'PhoneNumberSet is empty.');
  }
  if (phoneNumbers.length > MAX_PHONE_NUMBERS) {
    throw new TencentApiError(
      'LimitExceeded.PhoneNumberCountLimit',
      `PhoneNumberSet has ${phoneNumbers.length} numbers; at most ${MAX_PHONE_NUMBERS} are allowed.`,
    );
  }
  const signName = readString(params, 'SignName');
  return {
    phoneNumbers,
    templateId,
    signName: signName === undefined || signName === '' ? null : signName,
    templateParams: readStringArray(params, 'TemplateParamSet') ?? [],
    sessionContext: readString(params, 'SessionContext') ?? '',
  };
}

function rejectMixedNumbers(numbers: readonly PhoneNumber[]): void {
  const mainland = numbers.some((n) => n.kind === 'mainland');
  const international = numbers.some((n) => n.kind === 'international');
  if (mainland && international) {
    throw new TencentApiError(
      'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
      'PhoneNumberSet mixes Mainland China and international numbers.',
    );
  }
}

function deliver(state: SandboxState, number: PhoneNumber, request: SendSmsRequest): SendStatus {
  if (number.kind === 'invalid') {
    return status(number, request, { Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'incorrect phone number' });
  }
  const record: SentSms = {
    phone: number.key,
    code: request.templateParams[0] ?? null,
    templateId: request.templateId,
    params: [...request.templateParams],
    signName: request.signName,
    sentAt: new Date().toISOString(),
  };
  state.sentSms.push(record);
  return { ...status(number, request, { Code: 'Ok', Message: 'send success' }), SerialNo: serialNo(), Fee: 1 };
}

/** Fault `sms: fail`: the whole batch is refused per number, as Tencent does when frequency control trips. */
function frequencyLimited(number: PhoneNumber, request: SendSmsRequest): SendStatus {
  return status(number, request, {
    Code: 'LimitExceeded.DeliveryFrequencyLimit',
    Message: 'the delivery hit the frequency limit policy',
  });
}

function status(
  number: PhoneNumber,
  request: SendSmsRequest,
  outcome: { readonly Code: string; readonly Message: string },
): SendStatus {
  return {
    SerialNo: '',
    PhoneNumber: number.kind === 'invalid' ? number.raw : number.e164,
    Fee: 0,
    SessionContext: request.sessionContext,
    Code: outcome.Code,
    Message: outcome.Message,
    IsoCode: number.kind === 'invalid' ? '' : number.isoCode,
  };
}

/** Shaped like Tencent's "2433:<hex>" serial numbers. */
function serialNo(): string {
  return `${randomInt(1000, 10000)}:${randomBytes(12).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

type PhoneNumber =
  | { readonly kind: 'mainland'; readonly key: string; readonly e164: string; readonly isoCode: 'CN' }
  | { readonly kind: 'international'; readonly key: string; readonly e164: string; readonly isoCode: string }
  | { readonly kind: 'invalid'; readonly raw: string };

/** Tencent accepts +86…, 86…, 0086… and bare 11-digit Mainland numbers. */
const MAINLAND_PATTERN = /^(?:\+86|0086|86)?(1\d{10})$/;
const E164_PATTERN = /^\+([1-9]\d{6,14})$/;
/** Just enough to fill IsoCode plausibly; the product only texts Mainland China. */
const ISO_BY_CALLING_CODE: ReadonlyArray<readonly [string, string]> = [
  ['852', 'HK'],
  ['853', 'MO'],
  ['886', 'TW'],
  ['65', 'SG'],
  ['81', 'JP'],
  ['44', 'GB'],
  ['1', 'US'],
];

export function parsePhoneNumber(raw: string): PhoneNumber {
  const trimmed = raw.trim();
  const mainland = MAINLAND_PATTERN.exec(trimmed)?.[1];
  if (mainland !== undefined) return { kind: 'mainland', key: mainland, e164: `+86${mainland}`, isoCode: 'CN' };
  const digits = E164_PATTERN.exec(trimmed)?.[1];
  if (digits !== undefined && !digits.startsWith('86')) {
    const iso = ISO_BY_CALLING_CODE.find(([callingCode]) => digits.startsWith(callingCode))?.[1] ?? 'UNKNOWN';
    return { kind: 'international', key: trimmed, e164: trimmed, isoCode: iso };
  }
  return { kind: 'invalid', raw };
}

/** The key SMS are stored under for a `phone` query parameter. */
function phoneKey(phoneQuery: string | null): string {
  if (phoneQuery === null || phoneQuery.trim() === '') throw new HttpError(400, 'phone query parameter is required');
  const parsed = parsePhoneNumber(phoneQuery);
  return parsed.kind === 'invalid' ? parsed.raw : parsed.key;
}

function latestSmsFor(state: SandboxState, phoneQuery: string | null): SentSms | undefined {
  const key = phoneKey(phoneQuery);
  // Newest wins: a user who asks twice must see the second code (findLast is ES2023, beyond our target).
  for (let i = state.sentSms.length - 1; i >= 0; i -= 1) {
    const sms = state.sentSms[i];
    if (sms?.phone === key) return sms;
  }
  return undefined;
}
