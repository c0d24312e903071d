import { spawnSync } from 'node:child_process';
import type { UploadKeys } from '../../shared/media/sts';
import { jpegImage } from './images';
import { api, type RunningStack } from './stack';
import { browserCos } from './tasks';

/**
 * The steps every e2e file takes against a running stack (test/helpers/stack.ts): ask the sandbox,
 * log in with the code it received, buy with Alipay through its cashier, upload a photo with STS
 * keys, make an admin with `npm run admin`. One place, so the files read as their scenarios.
 */

/** A call to the stack's sandbox control surface (GET without a body, POST with one). */
export async function sandboxCall(stack: RunningStack, path: string, body?: unknown): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(`${stack.sandbox}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Some sandbox answers are plain text (a payment platform's `success`).
  }
  return { status: response.status, text, json };
}

/** Sends a login code to `phone`, reads it from the sandbox's SMS outbox, logs in: the access token. */
export async function logIn(stack: RunningStack, phone: string): Promise<string> {
  await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
  const sms = await sandboxCall(stack, `/_sandbox/sms/latest?phone=${phone}`);
  const login = await api(stack.api, 'POST', '/auth/login', { body: { phone, code: sms.json.code } });
  return String(login.json.data?.token);
}

/** Buys a membership with Alipay: opens the cashier page (which makes the trade known) and pays there. */
export async function buyWithAlipay(stack: RunningStack, token: string): Promise<{ orderId: string; pageStatus: number; paid: { status: number; text: string } }> {
  const purchase = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'alipay' } });
  const orderId = String(purchase.json.data?.orderId);
  const page = await fetch(String((purchase.json.data?.payParams as { payUrl: string }).payUrl));
  const paid = await sandboxCall(stack, '/_sandbox/pay', { orderId });
  return { orderId, pageStatus: page.status, paid: { status: paid.status, text: paid.text } };
}

/** Uploads a small JPEG with the STS keys of GET /media/sts, as a browser would: the keys and the object key. */
export async function uploadPhoto(stack: RunningStack, token: string): Promise<{ keys: UploadKeys; key: string }> {
  const sts = await api(stack.api, 'GET', '/media/sts', { token });
  const keys = sts.json.data as unknown as UploadKeys;
  const key = `${keys.allowPrefix}original.jpg`;
  await browserCos(keys).putObject({ Bucket: keys.bucket, Region: keys.region, Key: key, Body: jpegImage({ width: 160, height: 120 }), ContentType: 'image/jpeg' });
  return { keys, key };
}

/** The caller's remaining quota as GET /auth/me shows it. */
export async function quotaOf(stack: RunningStack, token: string): Promise<unknown> {
  return (await api(stack.api, 'GET', '/auth/me', { token })).json.data?.quota_remaining;
}

/** Makes the (logged-in) user of `phone` an admin with `npm run admin -- grant PHONE --token`: their admin token. */
export function grantAdmin(stack: RunningStack, phone: string): string {
  const granted = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'grant', phone, '--token'], {
    encoding: 'utf8',
    env: { ...process.env, APP_ENV: 'local', DATABASE_URL: stack.databaseUrl, LOG_LEVEL: 'SILENT' },
    timeout: 60_000,
  });
  return granted.stdout.trim();
}
