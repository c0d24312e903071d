import { isMap, parseDocument, type YAMLMap } from 'yaml';
import { awsLiterals, fromParam, fromSsm, functionSettings } from './config-docs';

/**
 * Brings serverless.yml's `provider.environment` and `params.offline` in line with the declared
 * settings, keeping every existing entry's chosen form and comments: a new setting is added as a
 * tunable (`${param:NAME, ''}`) or, for a secret, from SSM; a removed one is dropped; the offline
 * stage gets an empty placeholder for exactly the SSM-backed names.
 */
export function syncServerlessEnvironment(text: string): string {
  const document = parseDocument(text);
  const environment = document.getIn(['provider', 'environment']);
  const offline = document.getIn(['params', 'offline']);
  if (!isMap(environment) || !isMap(offline)) throw new Error('serverless.yml lacks provider.environment or params.offline');
  const wanted = functionSettings();
  const names = new Set(wanted.map((setting) => setting.name));
  for (const key of keysOf(environment)) if (!names.has(key)) environment.delete(key);
  for (const { name, isSecret } of wanted) {
    const current = environment.get(name);
    const literal = awsLiterals[name];
    if (literal !== undefined) environment.set(name, literal);
    else if (isSecret) environment.set(name, fromSsm(name));
    else if (current !== fromSsm(name)) environment.set(name, fromParam(name));
  }
  const ssmBacked = wanted.filter(({ name }) => environment.get(name) === fromSsm(name)).map(({ name }) => name);
  for (const key of keysOf(offline)) if (!ssmBacked.includes(key)) offline.delete(key);
  for (const name of ssmBacked) offline.set(name, '');
  return document.toString({ lineWidth: 0 });
}

function keysOf(map: YAMLMap): string[] {
  return map.items.map((pair) => String(isScalarKey(pair.key) ? pair.key.value : pair.key));
}

function isScalarKey(key: unknown): key is { value: unknown } {
  return typeof key === 'object' && key !== null && 'value' in key;
}
