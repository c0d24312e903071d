import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, sharedEsbuildOptions } from '../../infra/build/esbuild-options';
import { sandboxMaterialIn, sandboxMaterialInZip, sandboxSecretNeedles } from '../../infra/build/sandbox-material';
import { SANDBOX_COS_BUCKET, SANDBOX_RUNNINGHUB_API_KEY, SANDBOX_TENCENT_SECRET_ID, SANDBOX_TENCENT_SECRET_KEY } from '../../infra/sandbox/keys';
import {
  SANDBOX_ALIPAY_APP_ID,
  SANDBOX_ALIPAY_APP_PRIVATE_KEY,
  SANDBOX_ALIPAY_SELLER_ID,
  SANDBOX_WECHAT_APIV3_KEY,
  SANDBOX_WECHAT_APP_ID,
  SANDBOX_WECHAT_APP_SECRET,
  SANDBOX_WECHAT_MCH_ID,
  SANDBOX_WECHAT_MCH_SERIAL_NO,
  SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY,
} from '../../infra/sandbox/payment-keys';
import { buildTencent } from '../../infra/tencent/build';
import { loadConfig, settingsBlocks } from '../../shared/config';
import type { SettingSpec } from '../../shared/config/define';
import { localDefaultsPath, readLocalDefaults } from '../../shared/config/local-defaults';

/**
 * The packagers' own check (infra/build/sandbox-material.ts) and where the local-only values live:
 * a planted key or sandbox secret is caught in a zip built in memory and by the Tencent build, the
 * list of sandbox secrets is the one the configuration uses locally, and the configuration code
 * itself, bundled, carries none of them and runs in production without the file.
 */

const needles = sandboxSecretNeedles();
const localFile = path.join(projectRoot, localDefaultsPath);
const local = readLocalDefaults(localFile);
const declared = Object.values(settingsBlocks).flatMap((block) => Object.entries(block as Record<string, SettingSpec>));
const secretNames = declared.filter(([, spec]) => spec.secret).map(([name]) => name);
const bodyOf = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
const zipOf = (files: Record<string, string>): Uint8Array => zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const ed = generateKeyPairSync('ed25519').privateKey;
const pkcs8Pem = rsa.export({ type: 'pkcs8', format: 'pem' }).toString();

const scratch = mkdtempSync(path.join(tmpdir(), 'aiphoto-material-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packagers’ check for sandbox material', () => {
  it.each([
    ['a PEM private key', `const key = ${JSON.stringify(pkcs8Pem)};`, 'PEM private key'],
    ['a PEM private key written with real newlines', `const key = \`${pkcs8Pem}\`;`, 'PEM private key'],
    ['an RSA PKCS#1 PEM key', `module.exports = ${JSON.stringify(rsa.export({ type: 'pkcs1', format: 'pem' }).toString())};`, 'PEM private key'],
    ['the one-line base64 body of a PKCS#8 RSA key', `const key = '${bodyOf(pkcs8Pem)}';`, 'base64 PKCS#8 RSA private key'],
    ['the one-line base64 body of a PKCS#1 RSA key', `const key = '${bodyOf(rsa.export({ type: 'pkcs1', format: 'pem' }).toString())}';`, 'base64 PKCS#1 RSA private key'],
    ['the base64 body of a PKCS#8 EC key', `x='${bodyOf(ec.export({ type: 'pkcs8', format: 'pem' }).toString())}'`, 'base64 PKCS#8 EC private key'],
    ['the base64 body of a SEC1 EC key', `x='${bodyOf(ec.export({ type: 'sec1', format: 'pem' }).toString())}'`, 'base64 SEC1 EC private key'],
    ['the base64 body of an Ed25519 key', `x='${bodyOf(ed.export({ type: 'pkcs8', format: 'pem' }).toString())}'`, 'base64 PKCS#8 Ed25519 private key'],
  ])('catches %s planted in a zip', (_label, source, what) => {
    // Arrange
    const zip = zipOf({ 'index.js': `'use strict';\n${source}\n`, 'package.json': '{ "type": "commonjs" }\n' });

    // Act
    const findings = sandboxMaterialInZip('planted.zip', zip, needles);

    // Assert
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(new RegExp(`^planted\\.zip: index\\.js contains .*${what.replace(/[#]/g, '\\$&')}`));
  });

  it.each(secretNames.filter((name) => local[name] !== undefined))('catches the sandbox %s, naming the setting and never its value', (name) => {
    // Arrange
    const value = local[name] ?? '';
    const zip = zipOf({ 'functions/auth/me.js': `var defaults = { secret: ${JSON.stringify(value)} };` });

    // Act
    const findings = sandboxMaterialInZip('auth-me.zip', zip, needles);

    // Assert
    expect(findings.join('\n')).toContain(`the sandbox ${name}`);
    expect(findings.join('\n')).not.toContain(value);
  });

  it('catches the sandbox merchant key as the sandbox writes it, and wrapped or escaped differently', () => {
    expect(sandboxMaterialIn(`k=${JSON.stringify(SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY)}`, needles)).toEqual(expect.arrayContaining(['PEM private key', 'the sandbox WECHAT_MCH_PRIVATE_KEY']));
    const publicKey = local.ALIPAY_PUBLIC_KEY ?? '';
    const wrapped = (publicKey.match(/.{1,64}/g) ?? []).join('\\n');
    expect(sandboxMaterialIn(`k="-----BEGIN PUBLIC KEY-----\\n${wrapped}\\n-----END PUBLIC KEY-----"`, needles)).toEqual(['the sandbox ALIPAY_PUBLIC_KEY']);
  });

  it('leaves code alone that only names key formats or holds other public material', () => {
    // Arrange: what key-handling libraries contain (header strings built at run time, a public key)
    const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const source = [
      'header = "OPENSSH PRIVATE KEY"; header = alg + " PRIVATE KEY";',
      'const armor = "-----BEGIN " + type + " PRIVATE KEY-----\\n" + body;',
      "if (text.startsWith('-----BEGIN')) return createPrivateKey(text);",
      `const spki = ${JSON.stringify(publicPem)};`,
      "const url = 'mysql://app@db.internal:3306/aiphoto';",
    ].join('\n');

    // Act / Assert
    expect(sandboxMaterialInZip('clean.zip', zipOf({ 'index.js': source }), needles)).toEqual([]);
  });

  it('fails the Tencent build, naming the zip, when a function carries a key', async () => {
    // Arrange: a function whose bundle would carry the sandbox Alipay application key
    const file = path.join(scratch, 'planted.ts');
    writeFileSync(file, `const key = ${JSON.stringify(SANDBOX_ALIPAY_APP_PRIVATE_KEY)};\nexport const main_handler = async () => key.length;\n`);

    // Act
    const attempt = buildTencent({ functions: [{ name: 'planted', file: path.relative(projectRoot, file) }], outDir: path.join(scratch, 'dist') });

    // Assert
    await expect(attempt).rejects.toThrow(/planted\.zip: index\.js contains PEM private key/);
  });
});

describe('the local-only values (infra/local/sandbox-defaults.json)', () => {
  it('name only declared settings, and give every secret a value', () => {
    const names = declared.map(([name]) => name);
    expect(Object.keys(local).filter((name) => !names.includes(name))).toEqual([]);
    expect(secretNames.filter((name) => local[name] === undefined)).toEqual([]);
  });

  it('are the sandbox’s own credentials (infra/sandbox/keys.ts, payment-keys.ts)', () => {
    expect(local).toMatchObject({
      TENCENT_SECRET_ID: SANDBOX_TENCENT_SECRET_ID,
      TENCENT_SECRET_KEY: SANDBOX_TENCENT_SECRET_KEY,
      COS_BUCKET: SANDBOX_COS_BUCKET,
      RUNNINGHUB_API_KEY: SANDBOX_RUNNINGHUB_API_KEY,
      WECHAT_APP_ID: SANDBOX_WECHAT_APP_ID,
      WECHAT_APP_SECRET: SANDBOX_WECHAT_APP_SECRET,
      WECHAT_MCH_ID: SANDBOX_WECHAT_MCH_ID,
      WECHAT_MCH_SERIAL_NO: SANDBOX_WECHAT_MCH_SERIAL_NO,
      WECHAT_APIV3_KEY: SANDBOX_WECHAT_APIV3_KEY,
      WECHAT_MCH_PRIVATE_KEY: bodyOf(SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY),
      ALIPAY_APP_ID: SANDBOX_ALIPAY_APP_ID,
      ALIPAY_SELLER_ID: SANDBOX_ALIPAY_SELLER_ID,
      ALIPAY_PRIVATE_KEY: bodyOf(SANDBOX_ALIPAY_APP_PRIVATE_KEY),
    });
  });

  it('are what the check looks for: the values local and test mode fall back to, one per secret', () => {
    const settings = loadConfig({ APP_ENV: 'test' }) as unknown as Record<string, unknown>;
    expect(needles.map((needle) => needle.label)).toEqual(secretNames.map((name) => `the sandbox ${name}`));
    for (const [index, name] of secretNames.entries()) expect(needles[index]?.value).toBe(settings[name]);
  });

  it('are not in the bundled configuration code, which runs in production without the file and refuses local mode without it', async () => {
    // Arrange: shared/config bundled as the functions bundle it, run from a directory outside the checkout
    const bundle = path.join(scratch, 'config.cjs');
    await build({ ...sharedEsbuildOptions(), absWorkingDir: projectRoot, entryPoints: ['shared/config/index.ts'], outfile: bundle, logLevel: 'silent' });
    writeFileSync(path.join(scratch, 'package.json'), '{ "type": "commonjs" }\n');
    const probe = `const { loadConfig } = require(${JSON.stringify(bundle)}); try { const c = loadConfig(process.env); console.log('ok', c.isLocal); } catch (e) { console.log('error', e.message); }`;
    const run = (env: Record<string, string>) => spawnSync(process.execPath, ['-e', probe], { cwd: scratch, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' }).stdout.trim();
    const productionSecrets = Object.fromEntries(secretNames.map((name) => [name, `production-value-for-${name}-0123456789abcdef`]));

    // Act
    const text = readFileSync(bundle, 'latin1');
    const production = run({ APP_ENV: 'production', ...productionSecrets, DATABASE_URL: 'mysql://app:pw@db.internal:3306/aiphoto' });
    const localMode = run({ APP_ENV: 'local' });

    // Assert
    expect(sandboxMaterialIn(text, needles)).toEqual([]);
    expect(production).toBe('ok false');
    expect(localMode).toMatch(/^error .*infra\/local\/sandbox-defaults\.json/);
  });
});
