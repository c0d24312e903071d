/**
 * CAM policies as GetFederationToken receives them (vendors.md §4.1): parsed once by STS, evaluated by COS
 * on every request signed with the temporary keys. Only what a COS upload policy uses is understood; a
 * condition the sandbox cannot evaluate makes its statement not apply, so an unknown rule never grants access.
 */
import type { SandboxState } from './state';

export type PolicyEffect = 'allow' | 'deny';

export interface PolicyCondition {
  /** Lower case, e.g. `numeric_less_than_equal`; `_if_exist` suffix already split off. */
  readonly operator: string;
  readonly ifExists: boolean;
  /** e.g. `cos:content-length` (lower case). */
  readonly key: string;
  readonly values: readonly (string | number)[];
}

export interface PolicyStatement {
  readonly effect: PolicyEffect;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly PolicyCondition[];
}

export interface FederationPolicy {
  readonly statements: readonly PolicyStatement[];
}

export type PolicyParseResult =
  | { readonly ok: true; readonly policy: FederationPolicy }
  | { readonly ok: false; readonly error: string };

/** What COS asks: may these keys do `actions` (any one suffices, e.g. HeadObject or GetObject) on this object? */
export interface CosAccessRequest {
  /** Acceptable action names without the `name/` prefix, e.g. `['cos:HeadObject', 'cos:GetObject']`. */
  readonly actions: readonly string[];
  readonly bucket: string;
  readonly key: string;
  /** Condition keys the request supplies, e.g. `cos:content-length`. */
  readonly context: Readonly<Record<string, string | number | undefined>>;
}

const STATEMENT_FIELDS: ReadonlySet<string> = new Set(['effect', 'action', 'resource', 'condition']);
const MAX_LIST_ITEMS = 100;

export function parseFederationPolicy(raw: unknown): PolicyParseResult {
  if (!isRecord(raw)) return fail('policy must be a JSON object');
  if (raw.version !== '2.0') return fail('policy version must be "2.0"');
  const rawStatements = Array.isArray(raw.statement) ? raw.statement : raw.statement === undefined ? [] : [raw.statement];
  if (rawStatements.length === 0) return fail('policy needs a non-empty "statement"');
  if (rawStatements.length > MAX_LIST_ITEMS) return fail(`policy has more than ${MAX_LIST_ITEMS} statements`);
  const statements: PolicyStatement[] = [];
  for (const [index, item] of rawStatements.entries()) {
    const parsed = parseStatement(item);
    if (typeof parsed === 'string') return fail(`statement[${index}]: ${parsed}`);
    statements.push(parsed);
  }
  return { ok: true, policy: { statements } };
}

function parseStatement(raw: unknown): PolicyStatement | string {
  if (!isRecord(raw)) return 'must be an object';
  // Tencent refuses principal in federation policies (vendors.md §4.1); accepting it would hide a real failure.
  if ('principal' in raw) return '"principal" is not allowed in a GetFederationToken policy';
  const unknown = Object.keys(raw).find((name) => !STATEMENT_FIELDS.has(name));
  if (unknown !== undefined) return `unknown field "${unknown}"`;
  const effect = typeof raw.effect === 'string' ? raw.effect.toLowerCase() : '';
  if (effect !== 'allow' && effect !== 'deny') return '"effect" must be "allow" or "deny"';
  const actions = stringList(raw.action);
  if (!actions) return '"action" must be a non-empty string or string array';
  const badAction = actions.find((action) => action !== '*' && !/^(name\/)?[a-z0-9_-]+:[A-Za-z0-9_*]+$/.test(action));
  if (badAction !== undefined) return `action "${badAction}" is not "name/<service>:<Action>"`;
  const resources = stringList(raw.resource);
  if (!resources) return '"resource" must be a non-empty string or string array';
  const badResource = resources.find((resource) => resource !== '*' && !resource.startsWith('qcs:'));
  if (badResource !== undefined) return `resource "${badResource}" is not "*" or a qcs:: resource`;
  const conditions = parseConditions(raw.condition);
  if (typeof conditions === 'string') return conditions;
  return { effect, actions, resources, conditions };
}

function parseConditions(raw: unknown): PolicyCondition[] | string {
  if (raw === undefined) return [];
  if (!isRecord(raw)) return '"condition" must be an object';
  const conditions: PolicyCondition[] = [];
  for (const [rawOperator, block] of Object.entries(raw)) {
    if (!isRecord(block)) return `condition "${rawOperator}" must map keys to values`;
    const lower = rawOperator.toLowerCase();
    const ifExists = lower.endsWith('_if_exist');
    const operator = ifExists ? lower.slice(0, -'_if_exist'.length) : lower;
    for (const [key, value] of Object.entries(block)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || !values.every((v): v is string | number => typeof v === 'string' || typeof v === 'number')) {
        return `condition ${rawOperator}.${key} must be a string, a number or a list of them`;
      }
      conditions.push({ operator, ifExists, key: key.toLowerCase(), values });
    }
  }
  return conditions;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Explicit deny wins; otherwise some allow statement must match action, resource and every condition. */
export function isAllowed(policy: FederationPolicy, request: CosAccessRequest): boolean {
  const applies = (statement: PolicyStatement, unknownConditionResult: boolean): boolean =>
    statement.actions.some((pattern) => request.actions.some((action) => actionMatches(pattern, action))) &&
    statement.resources.some((resource) => resourceMatches(resource, request.bucket, request.key)) &&
    statement.conditions.every((condition) => conditionHolds(condition, request.context) ?? unknownConditionResult);
  // A deny whose condition we cannot evaluate still denies; an allow with one never allows (fail closed).
  if (policy.statements.some((s) => s.effect === 'deny' && applies(s, true))) return false;
  return policy.statements.some((s) => s.effect === 'allow' && applies(s, false));
}

function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const bare = pattern.startsWith('name/') ? pattern.slice('name/'.length) : pattern;
  return globToRegExp(bare, 'i').test(action);
}

/**
 * Both resource spellings from vendors.md §4.1:
 *   qcs::cos:<region>:uid/<appid>:<bucket>-<appid>/<key pattern>
 *   qcs::cos:<region>:uid/<appid>:prefix//<appid>/<shortBucket>/<key pattern>
 * The region is not compared: local URLs carry none.
 */
export function resourceMatches(resource: string, bucket: string, key: string): boolean {
  if (resource === '*') return true;
  const match = /^qcs::cos:[^:]*:uid\/([^:]*):(.*)$/.exec(resource);
  const [, uid, rest] = match ?? [];
  if (uid === undefined || rest === undefined) return false;
  const appId = bucket.slice(bucket.lastIndexOf('-') + 1);
  if (uid !== '' && uid !== '*' && uid !== appId) return false;
  const prefixed = /^prefix\/\/([^/]+)\/([^/]+)\/(.*)$/.exec(rest);
  if (prefixed) {
    const [, prefixAppId, shortBucket, keyPattern] = prefixed;
    if (prefixAppId === undefined || shortBucket === undefined || keyPattern === undefined) return false;
    return `${shortBucket}-${prefixAppId}` === bucket && globToRegExp(keyPattern).test(key);
  }
  const slash = rest.indexOf('/');
  if (slash < 0) return false;
  return globToRegExp(rest.slice(0, slash)).test(bucket) && globToRegExp(rest.slice(slash + 1)).test(key);
}

/** true/false when evaluable; null when the operator is unknown to the sandbox. */
function conditionHolds(
  condition: PolicyCondition,
  context: Readonly<Record<string, string | number | undefined>>,
): boolean | null {
  const actual = context[condition.key];
  if (actual === undefined) return condition.ifExists;
  const { operator, values } = condition;
  if (operator.startsWith('numeric_')) {
    const number = Number(actual);
    if (!Number.isFinite(number)) return false;
    const compare = NUMERIC_OPERATORS[operator];
    if (!compare) return null;
    return values.some((value) => compare(number, Number(value)));
  }
  const text = String(actual);
  switch (operator) {
    case 'string_equal':
      return values.some((value) => text === String(value));
    case 'string_not_equal':
      return values.every((value) => text !== String(value));
    case 'string_like':
      return values.some((value) => globToRegExp(String(value)).test(text));
    case 'string_not_like':
      return values.every((value) => !globToRegExp(String(value)).test(text));
    default:
      return null;
  }
}

const NUMERIC_OPERATORS: Readonly<Record<string, (actual: number, limit: number) => boolean>> = {
  numeric_equal: (a, b) => a === b,
  numeric_not_equal: (a, b) => a !== b,
  numeric_less_than: (a, b) => a < b,
  numeric_less_than_equal: (a, b) => a <= b,
  numeric_greater_than: (a, b) => a > b,
  numeric_greater_than_equal: (a, b) => a >= b,
};

/** `*` matches any run of characters (slashes included), everything else literally. */
function globToRegExp(pattern: string, flags = ''): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, flags);
}

// ---------------------------------------------------------------------------------------------
// Store: the policy each TmpSecretId was minted with, shared by the STS and COS modules.

const policyStores = new WeakMap<SandboxState, Map<string, FederationPolicy>>();

/** Keyed by TmpSecretId; lives next to state.temporaryCredentials and is cleared with it on reset. */
export function federationPolicies(state: SandboxState): Map<string, FederationPolicy> {
  let store = policyStores.get(state);
  if (!store) {
    const created = new Map<string, FederationPolicy>();
    state.onReset(() => created.clear());
    policyStores.set(state, created);
    store = created;
  }
  return store;
}

// ---------------------------------------------------------------------------------------------

function stringList(value: unknown): string[] | null {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!list || list.length === 0 || list.length > MAX_LIST_ITEMS) return null;
  if (!list.every((item): item is string => typeof item === 'string' && item !== '')) return null;
  return list;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(error: string): PolicyParseResult {
  return { ok: false, error };
}
