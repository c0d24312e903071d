import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_ALIPAY_APP_PRIVATE_KEY,
  SANDBOX_ALIPAY_PLATFORM_PRIVATE_KEY,
  SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY,
  SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY,
  SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID,
} from '../../infra/sandbox/payment-keys';
import { ConfigError, loadConfig } from '../../shared/config';
import { KeySettingError, readPrivateKey, readPublicKey, readPublicKeyMap } from '../../shared/vendors/payment-keys';

/** A self-signed certificate over the sandbox WeChat Pay key (a "platform certificate" stand-in). */
const PLATFORM_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDUTCCAjmgAwIBAgIUCr1DYMDXfChsJguDYIJTBwmwZAowDQYJKoZIhvcNAQEL
BQAwODEkMCIGA1UEAwwbU2FuZGJveCBXZUNoYXQgUGF5IFBsYXRmb3JtMRAwDgYD
VQQKDAdTYW5kYm94MB4XDTI2MTEyMTAwMjQwM1oXDTM2MTExODAwMjQwM1owODEk
MCIGA1UEAwwbU2FuZGJveCBXZUNoYXQgUGF5IFBsYXRmb3JtMRAwDgYDVQQKDAdT
YW5kYm94MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsgWW5lg12VGT
f7mbBodmEJmXNOhE9AQ5cp0sTHSQS34t+i6N1oODy6rGC2JLFBcWLVxT13DaF4X9
cfJ7ouk1/fbBeMQAZg+9hycP+8tgZpTBW/VevK5qETkMJO4lcsabM1W2n0niMFeO
udaYCvnBmcH47GbZFqHpNbKUYOJ0jjDxOxfCjcwHMvRvkJ9Mw7FQ6g07Bou5RTUH
gqSzg7ko0cO6vyUCyEiX7mNRWLh7yQiiHTaQ7L7SEgFQZOAVJQtX/sxtlwtDg085
KMX8zTs9uxXXaRp/SMjXRyU55tL+UKuX68nGOTw4E0U1GWu0mwbqH7A4awk9cB0z
LebFBZLe+wIDAQABo1MwUTAdBgNVHQ4EFgQU3VSvCdzgBdKE+af0y+Y6R/2ehPEw
HwYDVR0jBBgwFoAU3VSvCdzgBdKE+af0y+Y6R/2ehPEwDwYDVR0TAQH/BAUwAwEB
/zANBgkqhkiG9w0BAQsFAAOCAQEAEFIX3J6TgQlxnl6/DNQs+6Eev1PrhgS+ijK7
zyfCY9aaXopa2beRN0GYqG1FvngAHj059DJJA6jzCo0tpOqqhKxnNw4i/IGqI5aX
fCzWWlqb83f9t0Dn2tYlTHxpjAUBRnhBrOhMjs9M30JyRjp8poXb3c06GjbC9oIK
xFsRPinyurSVw7Hw1HwT8cV8gyXwCafLI8n2bDIupIc+OInmNbL5kcI6kWj4mzTk
9T/p0QzODlFYSXzbkxJuEhEprll6FCX1IabyuCkoL4sez5jRdDxVmrhlS1DQ0Rgt
PxznmClYzSvpLrfGWXWRFqE6AgCOJIYJNdWS84KgQVdnD6uS1w==
-----END CERTIFICATE-----`;

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1Pem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const body = (pem: string): string => pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
const spkiOf = (key: KeyObject): string => (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' }).toString('base64');

describe('reading key settings', () => {
  const expected = spkiOf(pair.privateKey);
  const directory = mkdtempSync(path.join(tmpdir(), 'keys-'));
  const file = path.join(directory, 'apiclient_key.pem');
  writeFileSync(file, privatePem);

  it.each([
    ['PKCS#8 PEM text', privatePem],
    ['PKCS#1 PEM text', pkcs1Pem],
    ['PEM with \\n escapes on one line (an env file)', privatePem.replace(/\n/g, '\\n')],
    ['the one-line base64 body', body(privatePem)],
    ['the one-line PKCS#1 body', body(pkcs1Pem)],
    ['a path to a .pem file', file],
  ])('reads a private key given as %s', (_label, value) => {
    expect(spkiOf(readPrivateKey(value, 'SOME_KEY'))).toBe(expected);
  });

  it.each([
    ['SPKI PEM text', publicPem],
    ['the one-line base64 body', body(publicPem)],
    ['PEM with \\n escapes', publicPem.replace(/\n/g, '\\n')],
  ])('reads a public key given as %s', (_label, value) => {
    expect(spkiOf(readPublicKey(value, 'SOME_KEY'))).toBe(expected);
  });

  it('reads a platform certificate as its public key', () => {
    expect(spkiOf(readPublicKey(PLATFORM_CERTIFICATE, 'CERT'))).toBe(spkiOf(createPublicKey(SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY)));
  });

  it('names the setting, never the value, when a key cannot be read', () => {
    const secretLooking = 'not-a-key-but-maybe-a-secret-value';
    expect(() => readPrivateKey(secretLooking, 'WECHAT_MCH_PRIVATE_KEY')).toThrow(KeySettingError);
    expect(() => readPrivateKey(secretLooking, 'WECHAT_MCH_PRIVATE_KEY')).toThrow(/^WECHAT_MCH_PRIVATE_KEY: /);
    expect(() => readPrivateKey(secretLooking, 'WECHAT_MCH_PRIVATE_KEY')).not.toThrow(new RegExp(secretLooking));
    expect(() => readPublicKey('A'.repeat(300), 'ALIPAY_PUBLIC_KEY')).toThrow(/ALIPAY_PUBLIC_KEY/);
  });
});

describe('the WeChat Pay public key map', () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('reads comma-separated id=key pairs, keys in any accepted form', () => {
    const keys = readPublicKeyMap(`PUB_KEY_ID_A=${body(publicPem)}, 0ABD4360C0D77C286C260B836082530709B0640A=${PLATFORM_CERTIFICATE.replace(/\n/g, '\\n')},PUB_KEY_ID_B=${other.publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/\n/g, '\\n')}`, 'MAP');
    expect([...keys.keys()]).toEqual(['PUB_KEY_ID_A', '0ABD4360C0D77C286C260B836082530709B0640A', 'PUB_KEY_ID_B']);
    expect(spkiOf(keys.get('PUB_KEY_ID_A') as KeyObject)).toBe(spkiOf(pair.publicKey));
    expect(spkiOf(keys.get('PUB_KEY_ID_B') as KeyObject)).toBe(spkiOf(other.publicKey));
  });

  it.each([
    ['nothing', ''],
    ['an entry without an id', `=${body(publicPem)}`],
    ['the same id twice', `A=${body(publicPem)},A=${body(publicPem)}`],
    ['an unreadable key', 'A=hello'],
  ])('refuses %s', (_label, value) => {
    expect(() => readPublicKeyMap(value, 'WECHAT_PAY_PUBLIC_KEYS')).toThrow(/^WECHAT_PAY_PUBLIC_KEYS/);
  });
});

describe('payment configuration', () => {
  it('defaults locally to the merchant halves of the sandbox keys (infra/sandbox/payment-keys.ts)', () => {
    // Act
    const settings = loadConfig({});

    // Assert
    expect(spkiOf(readPrivateKey(settings.WECHAT_MCH_PRIVATE_KEY, 'x'))).toBe(spkiOf(createPublicKey(SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY)));
    expect(spkiOf(readPrivateKey(settings.ALIPAY_PRIVATE_KEY, 'x'))).toBe(spkiOf(createPublicKey(SANDBOX_ALIPAY_APP_PRIVATE_KEY)));
    expect(spkiOf(readPublicKey(settings.ALIPAY_PUBLIC_KEY, 'x'))).toBe(spkiOf(createPublicKey(SANDBOX_ALIPAY_PLATFORM_PRIVATE_KEY)));
    const wechatKeys = readPublicKeyMap(settings.WECHAT_PAY_PUBLIC_KEYS, 'x');
    expect([...wechatKeys.keys()]).toEqual([SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID]);
    expect(spkiOf(wechatKeys.get(SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID) as KeyObject)).toBe(spkiOf(createPublicKey(SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY)));
    expect(Buffer.byteLength(settings.WECHAT_APIV3_KEY)).toBe(32);
    expect([settings.MEMBERSHIP_PRICE_FEN, settings.MEMBERSHIP_DAYS, settings.MEMBERSHIP_QUOTA]).toEqual([9900, 30, 100]);
    expect(settings.WECHAT_PAY_BASE_URL).toBe('http://127.0.0.1:3100');
    expect(settings.ALIPAY_GATEWAY_URL).toBe('http://127.0.0.1:3100/gateway.do');
  });

  it('never lets production fall back to a sandbox key, id or URL', () => {
    // Act
    let error: unknown;
    try {
      loadConfig({ APP_ENV: 'production' });
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).settings).toEqual(
      expect.arrayContaining([
        'PAYMENT_NOTIFY_URL',
        'WECHAT_APP_ID',
        'WECHAT_APP_SECRET',
        'WECHAT_MCH_ID',
        'WECHAT_MCH_SERIAL_NO',
        'WECHAT_MCH_PRIVATE_KEY',
        'WECHAT_APIV3_KEY',
        'WECHAT_PAY_PUBLIC_KEYS',
        'ALIPAY_APP_ID',
        'ALIPAY_SELLER_ID',
        'ALIPAY_PRIVATE_KEY',
        'ALIPAY_PUBLIC_KEY',
      ]),
    );
  });

  it('names an APIv3 key shorter than 32 characters', () => {
    expect(() => loadConfig({ WECHAT_APIV3_KEY: 'short' })).toThrow(/WECHAT_APIV3_KEY/);
  });
});
