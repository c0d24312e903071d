import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Reads the RSA keys the payment settings carry. One setting value may be written three ways, so a
 * key fits wherever it is stored (docs/payments.md "Keys"):
 *   - PEM text, with real newlines or `\n` escapes (what one line of an env file can hold);
 *   - the one-line base64 body of a PEM (what Alipay's key tool prints, and what WeChat's portal shows);
 *   - a path to a .pem file.
 * Errors name the setting, never the value.
 */
export class KeySettingError extends Error {
  constructor(setting: string, detail: string) {
    super(`${setting}: ${detail}`);
    this.name = 'KeySettingError';
  }
}

const base64Body = /^[A-Za-z0-9+/=\s]+$/;

function pemText(value: string, setting: string): string {
  const trimmed = value.trim().replace(/\\n/g, '\n');
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  // A bare base64 body is at least a few hundred characters; anything else is taken as a path.
  if (trimmed.length > 200 && base64Body.test(trimmed)) return trimmed;
  try {
    return readFileSync(trimmed, 'utf8').trim();
  } catch {
    throw new KeySettingError(setting, 'is neither PEM text, a base64 key body, nor a readable file path');
  }
}

function der(body: string): Buffer {
  return Buffer.from(body.replace(/\s+/g, ''), 'base64');
}

/** A private key: PKCS#8 or PKCS#1, as PEM or as a bare base64 body. */
export function readPrivateKey(value: string, setting: string): KeyObject {
  const text = pemText(value, setting);
  try {
    if (text.startsWith('-----BEGIN')) return createPrivateKey(text);
    try {
      return createPrivateKey({ key: der(text), format: 'der', type: 'pkcs8' });
    } catch {
      return createPrivateKey({ key: der(text), format: 'der', type: 'pkcs1' });
    }
  } catch {
    throw new KeySettingError(setting, 'is not a readable RSA private key');
  }
}

/** A public key: SPKI or PKCS#1 PEM, an X.509 certificate PEM, or a bare base64 SPKI body. */
export function readPublicKey(value: string, setting: string): KeyObject {
  const text = pemText(value, setting);
  try {
    if (text.includes('BEGIN CERTIFICATE')) return new X509Certificate(text).publicKey;
    if (text.startsWith('-----BEGIN')) return createPublicKey(text);
    try {
      return createPublicKey({ key: der(text), format: 'der', type: 'spki' });
    } catch {
      return createPublicKey({ key: der(text), format: 'der', type: 'pkcs1' });
    }
  } catch {
    throw new KeySettingError(setting, 'is not a readable RSA public key or certificate');
  }
}

/**
 * A map of key id → public key from `id=key,id=key`. The id is what the platform sends to say
 * which key signed (WeChat's Wechatpay-Serial). Commas never occur inside base64 or PEM text.
 */
export function readPublicKeyMap(value: string, setting: string): ReadonlyMap<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const separator = entry.indexOf('=');
    const id = separator > 0 ? entry.slice(0, separator).trim() : '';
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new KeySettingError(setting, 'every entry must look like <key id>=<key>');
    if (keys.has(id)) throw new KeySettingError(setting, `key id ${id} appears twice`);
    keys.set(id, readPublicKey(entry.slice(separator + 1), `${setting} (${id})`));
  }
  if (keys.size === 0) throw new KeySettingError(setting, 'names no key');
  return keys;
}
