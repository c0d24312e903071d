import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingsBlocks } from '../../shared/config';
import type { SettingSpec } from '../../shared/config/define';

const secretNames = Object.values(settingsBlocks).flatMap((block) =>
  Object.entries(block as Record<string, SettingSpec>)
    .filter(([, spec]) => spec.secret)
    .map(([name]) => name),
);
const allSecrets = { ...Object.fromEntries(secretNames.map((name) => [name, `production-value-for-${name}-0123456789abcdef`])), DATABASE_URL: 'mysql://app:pw@db.internal:3306/aiphoto' };

describe('captcha settings', () => {
  it('are off by default and need no app in production', () => {
    // Act
    const settings = loadConfig({ APP_ENV: 'production', ...allSecrets });

    // Assert
    expect(settings.CAPTCHA_AFTER_SENDS_PER_IP_HOUR).toBe(0);
    expect(settings.CAPTCHA_APP_ID).toBeUndefined();
  });

  it('switched on in production, name the app settings that are missing', () => {
    // Act
    const attempt = () => loadConfig({ APP_ENV: 'production', ...allSecrets, CAPTCHA_AFTER_SENDS_PER_IP_HOUR: '3', CAPTCHA_APP_ID: '190000001' });

    // Assert
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/CAPTCHA_APP_SECRET_KEY/);
  });

  it('switched on with both app settings, load; a non-numeric app id is refused', () => {
    // Arrange
    const on = { APP_ENV: 'production', ...allSecrets, CAPTCHA_AFTER_SENDS_PER_IP_HOUR: '3', CAPTCHA_APP_SECRET_KEY: 'k'.repeat(32) };

    // Act
    const settings = loadConfig({ ...on, CAPTCHA_APP_ID: '190000001' });

    // Assert
    expect(settings.CAPTCHA_AFTER_SENDS_PER_IP_HOUR).toBe(3);
    expect(() => loadConfig({ ...on, CAPTCHA_APP_ID: 'abc' })).toThrow(/CAPTCHA_APP_ID/);
  });
});
