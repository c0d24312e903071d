/**
 * Tencent STS `GetFederationToken` (2018-08-13), as tencentcloud-sdk-nodejs-sts calls it (vendors.md §4.2).
 * Minted keys go into state.temporaryCredentials (so TC3 accepts them with X-TC-Token) and their parsed policy
 * into federationPolicies(state) (so COS can enforce it, like CAM does for the browser's direct upload).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxState } from './state';
import { type FederationPolicy, federationPolicies, parseFederationPolicy } from './sts-policy';
import {
  type TencentApi,
  TencentApiError,
  type TencentParams,
  type TencentResponsePayload,
  readInteger,
  readRequiredString,
} from './tencent-api';

export const STS_API_VERSION = '2018-08-13';
export const DEFAULT_FEDERATION_SECONDS = 1800;
/** The root-account ceiling; a policy the API writes for the sandbox must also work for a root key. */
export const MAX_FEDERATION_SECONDS = 7200;
/** Far above a real upload policy (one statement is ~300 characters); stops pathological bodies early. */
export const MAX_POLICY_CHARS = 8192;
/** Bounds memory when a client mints in a loop: expired keys go first, then the oldest. */
export const MAX_TEMPORARY_CREDENTIALS = 10_000;

export interface StsModuleContext {
  readonly state: SandboxState;
  readonly tencent: TencentApi;
}

export function registerSts({ state, tencent }: StsModuleContext): void {
  tencent.registerTencentAction('GetFederationToken', (params) => getFederationToken(state, params), {
    versions: [STS_API_VERSION],
  });
}

function getFederationToken(state: SandboxState, params: TencentParams): TencentResponsePayload {
  const name = readRequiredString(params, 'Name');
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    throw new TencentApiError('InvalidParameterValue', 'Name must be 1-64 characters of letters, digits and +=,.@_-.');
  }
  const duration = readInteger(params, 'DurationSeconds') ?? DEFAULT_FEDERATION_SECONDS;
  if (duration < 1 || duration > MAX_FEDERATION_SECONDS) {
    throw new TencentApiError('InvalidParameterValue', `DurationSeconds must be 1-${MAX_FEDERATION_SECONDS}.`);
  }
  const policy = parsePolicyParam(readRequiredString(params, 'Policy'));

  const nowSeconds = Math.floor(Date.now() / 1000);
  const expiredTime = nowSeconds + duration;
  const credentials = {
    TmpSecretId: `AKID${randomToken(32)}`,
    TmpSecretKey: randomToken(32),
    Token: randomToken(160),
  };
  makeRoom(state);
  state.temporaryCredentials.set(credentials.TmpSecretId, {
    secretId: credentials.TmpSecretId,
    secretKey: credentials.TmpSecretKey,
    token: credentials.Token,
    expiresAt: expiredTime * 1000,
  });
  federationPolicies(state).set(credentials.TmpSecretId, policy);
  return {
    Credentials: credentials,
    ExpiredTime: expiredTime,
    // Tencent prints seconds precision without milliseconds.
    Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function parsePolicyParam(encoded: string): FederationPolicy {
  if (encoded.length > MAX_POLICY_CHARS * 3) throw policyError('the policy is too long');
  let text: string;
  try {
    // The API contract is URL-encoded JSON; plain JSON without "%" decodes to itself, as it would at Tencent.
    text = decodeURIComponent(encoded);
  } catch {
    throw policyError('Policy is not valid URL encoding');
  }
  if (text.length > MAX_POLICY_CHARS) throw policyError(`the policy is longer than ${MAX_POLICY_CHARS} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw policyError('Policy is not JSON after URL decoding');
  }
  const parsed = parseFederationPolicy(json);
  if (!parsed.ok) throw policyError(parsed.error);
  return parsed.policy;
}

function policyError(detail: string): TencentApiError {
  return new TencentApiError('InvalidParameter', `Policy is invalid: ${detail}.`);
}

function makeRoom(state: SandboxState): void {
  const store = state.temporaryCredentials;
  if (store.size < MAX_TEMPORARY_CREDENTIALS) return;
  const now = Date.now();
  const policies = federationPolicies(state);
  for (const [id, credential] of store) {
    if (credential.expiresAt <= now) {
      store.delete(id);
      policies.delete(id);
    }
  }
  // Maps iterate in insertion order, so the first keys are the oldest.
  for (const id of store.keys()) {
    if (store.size < MAX_TEMPORARY_CREDENTIALS) break;
    store.delete(id);
    policies.delete(id);
  }
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 62 does not divide 256, so the spread is slightly uneven; irrelevant for sandbox keys.
  for (const byte of bytes) out += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length] ?? 'A';
  return out;
}
