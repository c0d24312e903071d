import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { awsLiterals, fromParam, fromSsm, functionSettings } from '../../infra/docs/config-docs';
import { syncServerlessEnvironment } from '../../infra/docs/serverless-environment';

/**
 * Keeps serverless.yml's provider.environment equal to the settings declared in shared/config:
 * a new setting fails here until it is wired, and a secret can only come from SSM (never a literal
 * in the repository). The three accepted forms are explained in serverless.yml.
 */

const literals = awsLiterals;

type YamlMap = Record<string, unknown>;
const isMap = (value: unknown): value is YamlMap => typeof value === 'object' && value !== null && !Array.isArray(value);

const document: unknown = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'));
const provider = isMap(document) ? document.provider : undefined;
const environment = isMap(provider) && isMap(provider.environment) ? provider.environment : {};
const params = isMap(document) ? document.params : undefined;
const offline = isMap(params) && isMap(params.offline) ? params.offline : {};

const settings = functionSettings();

describe('serverless.yml environment follows shared/config', () => {
  it('is what `npm run docs:config` would write', () => {
    const text = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
    expect(syncServerlessEnvironment(text)).toBe(text);
  });

  it('sets every setting a function reads (not deploy-only or local-only ones), and nothing else', () => {
    const expected = settings.map((setting) => setting.name);
    const missing = expected.filter((name) => !(name in environment));
    expect(missing, `add under provider.environment:\n${missing.map((name) => `    ${name}: ${fromParam(name)}`).join('\n')}`).toEqual([]);
    expect(Object.keys(environment).filter((name) => !expected.includes(name))).toEqual([]);
  });

  it.each(settings.filter((setting) => setting.isSecret).map((setting) => setting.name))('secret %s comes from SSM', (name) => {
    expect(environment[name]).toBe(fromSsm(name));
  });

  it('uses only the documented value forms (no literal secrets or per-deployment values)', () => {
    for (const [name, value] of Object.entries(environment)) {
      const allowed = name in literals ? [literals[name]] : [fromSsm(name), fromParam(name)];
      expect(allowed, `provider.environment.${name}`).toContain(value);
    }
  });

  it('gives the package-only `offline` stage an empty placeholder for exactly the SSM-backed settings', () => {
    const ssmBacked = Object.entries(environment)
      .filter(([name, value]) => value === fromSsm(name))
      .map(([name]) => name);
    expect(Object.keys(offline).sort()).toEqual([...ssmBacked].sort());
    for (const value of Object.values(offline)) expect(value).toBe('');
  });
});
