import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingsBlocks } from '../../shared/config';
import type { SettingSpec } from '../../shared/config/define';

const secretNames = Object.values(settingsBlocks).flatMap((block) =>
  Object.entries(block as Record<string, SettingSpec>)
    .filter(([, spec]) => spec.secret)
    .map(([name]) => name),
);
/** A value valid for every secret (the longest minimum is 32 characters). */
const allSecrets = { ...Object.fromEntries(secretNames.map((name) => [name, `production-value-for-${name}-0123456789abcdef`])), DATABASE_URL: 'mysql://app:pw@db.internal:3306/aiphoto' };

describe('configuration', () => {
  it('gives every setting a safe local default', () => {
    const settings = loadConfig({});
    expect(settings.APP_ENV).toBe('local');
    expect(settings.isLocal).toBe(true);
    expect(settings.DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/aiphoto');
    expect(settings.TENCENT_API_ENDPOINT).toBe('http://127.0.0.1:3100');
    expect(settings.OTP_TTL_SECONDS).toBe(300);
    expect(settings.CORS_ORIGINS).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });

  it('fails in production naming every missing secret, never a value', () => {
    const attempt = () => loadConfig({ APP_ENV: 'production', JWT_SECRET: 's'.repeat(40) });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).settings).toEqual(secretNames.filter((name) => name !== 'JWT_SECRET'));
      expect((error as ConfigError).settings).toEqual(expect.arrayContaining(['OTP_PEPPER', 'TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY']));
      expect((error as Error).message).not.toContain('s'.repeat(40));
    }
  });

  it('requires DATABASE_URL in production instead of falling back to the local server', () => {
    // Arrange
    const { DATABASE_URL: _unset, ...everyOtherSecret } = allSecrets;

    // Act
    const attempt = () => loadConfig({ APP_ENV: 'production', ...everyOtherSecret });

    // Assert
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/missing required secret setting\(s\): DATABASE_URL$/);
    expect(loadConfig({ APP_ENV: 'production', ...allSecrets }).DATABASE_URL).toBe('mysql://app:pw@db.internal:3306/aiphoto');
  });

  it.each(['local', 'test'] as const)('keeps the local DATABASE_URL default in %s mode', (appEnv) => {
    expect(loadConfig({ APP_ENV: appEnv }).DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/aiphoto');
  });

  it('still checks the form of DATABASE_URL in production', () => {
    expect(() => loadConfig({ APP_ENV: 'production', ...allSecrets, DATABASE_URL: 'postgres://db/aiphoto' })).toThrow(/DATABASE_URL \(must be a mysql:\/\/ URL\)/);
  });

  it('does not point production at the sandbox', () => {
    const settings = loadConfig({ APP_ENV: 'production', ...allSecrets });
    expect(settings.TENCENT_API_ENDPOINT).toBeUndefined();
    const sandboxOnly = Object.values(settingsBlocks).flatMap((block) =>
      Object.entries(block as Record<string, SettingSpec>)
        .filter(([, spec]) => spec.localValue !== undefined)
        .map(([name]) => name),
    );
    for (const name of sandboxOnly) expect(String((settings as Record<string, unknown>)[name] ?? '')).not.toContain('127.0.0.1');
    expect(settings.isLocal).toBe(false);
  });

  it.each([
    ['OTP_TTL_SECONDS', 'five minutes'],
    ['DB_POOL_SIZE', '0'],
    ['DATABASE_URL', 'postgres://x'],
    ['JWT_SECRET', 'short'],
    ['APP_ENV', 'staging'],
    ['API_BASE_PATH', 'api/'],
  ])('names a malformed %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const settings = loadConfig({ OTP_TTL_SECONDS: '120', JWT_SECRET: '' });
    expect(settings.OTP_TTL_SECONDS).toBe(120);
    expect(settings.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});
