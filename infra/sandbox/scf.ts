/**
 * Tencent SCF API (2018-04-16), the actions infra/tencent/deploy.ts calls through
 * tencentcloud-sdk-nodejs-scf: functions (Get/Create/Delete/ListFunctions, UpdateFunctionCode,
 * UpdateFunctionConfiguration), versions (PublishVersion, ListVersionByFunction, GetFunction with a
 * Qualifier), aliases (Create/Update/Get/ListAliases), triggers (List/Create/Update/DeleteTrigger:
 * `http` = Function URL, `timer` = 7-field cron; each bound to a qualifier: `$LATEST`, a version or
 * an alias), namespaces (List/CreateNamespace), the account's quotas (GetAccount) and custom domains
 * (Get/Create/UpdateCustomDomain). State lives in memory, per region. `GET /_sandbox/scf` shows it,
 * for people and tests; `POST /_sandbox/scf/limits {"functionsPerNamespace": n}` lowers the quota.
 *
 * Request and answer field names are the SDK's (tencentcloud-sdk-nodejs-scf scf_models.d.ts).
 * Behaviour copied from the real service where it is documented or observed (platform.md §2.3-2.5,
 * the SDK's field documentation): a new or changed function is `Creating`/`Updating` for a moment and
 * refuses changes until `Active` ("FailedOperation.UpdateFunctionCode: 当前函数处于Updating状态…",
 * seen in the wild); the runtime cannot change after creation; a handler is `file.export` with the
 * file at the zip root; a TC3 request body is at most 10 MB (Tencent Cloud API request structure,
 * cloud.tencent.com/document/product/1278/46710; common error RequestSizeLimitExceeded), so a zip
 * sent inline as base64 must stay well under that, and larger code comes from COS: `CosBucketName`
 * is the bucket name without `-<appid>` (SCF appends the account's), `CosObjectName` starts with `/`;
 * memory 64 or 128-3072 MB in 128 MB steps; timeout 1-900 s; descriptions only letters, digits,
 * spaces, commas, periods, newlines and Chinese; alias names 1-64 letters, digits, `_` and `-`,
 * a letter first.
 * ASSUMPTIONS (not confirmed against the real service): the Function URL host format and that the
 * address comes back as TriggerDesc.NetConfig.ExtranetUrl (what public deploy scripts read); that a
 * custom-domain route needs its function to have a Function URL on the route's qualifier; that
 * ListVersionByFunction lists `$LATEST` besides the numbered versions and that GetFunction with a
 * version Qualifier reports that version's description (PublishVersion's) and configuration; that a
 * trigger is identified by name, type and qualifier; that a function still routed by a custom
 * domain, or a version an alias points at, cannot be deleted; that a new version is `Publishing`
 * for a moment; the 50-functions-per-namespace default quota (issue 12) and every error code used for
 * these cases.
 */
import { createHash, randomBytes } from 'node:crypto';
import { unzipSync } from 'fflate';
import { HttpError, sendJson, type Router } from './router';
import { readCosObject } from './scf-code';
import type { SandboxState } from './state';
import {
  readInteger,
  readRequiredString,
  readString,
  TencentApiError,
  type TencentActionContext,
  type TencentApi,
  type TencentParams,
  type TencentResponsePayload,
} from './tencent-api';

export const SCF_API_VERSION = '2018-04-16';
/**
 * Node runtimes the sandbox accepts: the SDK's CreateFunction list (Nodejs6.10 … Nodejs18.15) and
 * `Nodejs20.19`, the string Tencent's CloudBase tooling passes to SCF. Strings no Tencent source uses
 * (e.g. `Nodejs20.x`) are refused, as the real service presumably refuses them.
 */
export const SCF_NODE_RUNTIMES: readonly string[] = ['Nodejs6.10', 'Nodejs8.9', 'Nodejs10.15', 'Nodejs12.16', 'Nodejs14.18', 'Nodejs16.13', 'Nodejs18.15', 'Nodejs20.19'];
/** How long a created or changed function stays Creating/Updating, and a new version Publishing. */
export const SCF_SETTLE_MS = 30;
/** Functions per namespace unless lowered through /_sandbox/scf/limits (issue 12: 50 by default). */
export const SCF_DEFAULT_FUNCTIONS_PER_NAMESPACE = 50;
/** The TC3 limit on a request body: "POST 请求使用签名方法 v3 时最大支持10MB". */
export const TC3_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const SANDBOX_APP_ID = '1250000000';
const MAX_UPDATE_ZIP_BYTES = 20 * 1024 * 1024;
const MAX_CREATE_ZIP_BYTES = 50 * 1024 * 1024;
const LATEST = '$LATEST';

export interface ScfVariable {
  readonly Key: string;
  readonly Value: string;
}

export interface ScfTrigger {
  readonly type: 'http' | 'timer';
  readonly name: string;
  desc: string;
  enable: 0 | 1;
  /** `$LATEST`, a version number or an alias name. */
  readonly qualifier: string;
  customArgument: string;
  readonly addTime: string;
  modTime: string;
  /** Function URL host part, for http triggers. */
  readonly urlId?: string;
}

/** Where the code came from: inline base64, or a COS object SCF read. */
export type ScfCodeSource = { readonly type: 'ZipFile' } | { readonly type: 'Cos'; readonly bucket: string; readonly object: string };

/** Code and configuration: what $LATEST holds, and what a version freezes. */
export interface ScfConfiguration {
  readonly runtime: string;
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  role: string;
  environment: ScfVariable[];
  codeSha256: string;
  codeSize: number;
  codeSource: ScfCodeSource;
}

export interface ScfVersion extends Readonly<ScfConfiguration> {
  /** "1", "2", … never reused, even after a version is deleted. */
  readonly version: string;
  /** PublishVersion's Description. */
  readonly versionDescription: string;
  readonly addTime: string;
  /** `Publishing` until then, `Active` after. */
  readonly readyAt: number;
}

export interface ScfAlias {
  readonly name: string;
  functionVersion: string;
  description: string;
  routingConfig: unknown;
  readonly addTime: string;
  modTime: string;
}

export interface ScfFunction extends ScfConfiguration {
  readonly region: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  /** `Creating`/`Updating` until this time, then `Active`. */
  settling: 'Creating' | 'Updating' | null;
  readyAt: number;
  readonly addTime: string;
  modTime: string;
  /** Keyed by triggerKey(qualifier, name). */
  readonly triggers: Map<string, ScfTrigger>;
  readonly versions: ScfVersion[];
  lastVersion: number;
  readonly aliases: Map<string, ScfAlias>;
}

export interface ScfEndpoint {
  readonly Namespace: string;
  readonly FunctionName: string;
  readonly Qualifier: string;
  readonly PathMatch: string;
  readonly PathRewrite?: readonly { readonly Path: string; readonly Type: string; readonly Rewrite: string }[];
}

export interface ScfDomain {
  readonly region: string;
  readonly domain: string;
  protocol: string;
  endpoints: ScfEndpoint[];
  certificateId: string | null;
}

export interface ScfStore {
  readonly functions: Map<string, ScfFunction>;
  readonly namespaces: Map<string, Set<string>>;
  readonly domains: Map<string, ScfDomain>;
  functionsPerNamespace: number;
}

export interface ScfModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  readonly tencent: TencentApi;
}

type ScfAction = (params: TencentParams, ctx: TencentActionContext) => TencentResponsePayload | Promise<TencentResponsePayload>;

export function registerScf({ router, state, tencent }: ScfModuleContext): void {
  const store: ScfStore = { functions: new Map(), namespaces: new Map(), domains: new Map(), functionsPerNamespace: SCF_DEFAULT_FUNCTIONS_PER_NAMESPACE };
  state.onReset(() => {
    store.functions.clear();
    store.namespaces.clear();
    store.domains.clear();
    store.functionsPerNamespace = SCF_DEFAULT_FUNCTIONS_PER_NAMESPACE;
  });
  const actions: Record<string, ScfAction> = {
    GetFunction: (params, ctx) => getFunction(store, params, ctx),
    ListFunctions: (params, ctx) => listFunctions(store, params, ctx),
    CreateFunction: (params, ctx) => createFunction(store, router, params, ctx),
    UpdateFunctionCode: (params, ctx) => updateFunctionCode(store, router, params, ctx),
    UpdateFunctionConfiguration: (params, ctx) => updateFunctionConfiguration(store, params, ctx),
    DeleteFunction: (params, ctx) => deleteFunction(store, params, ctx),
    PublishVersion: (params, ctx) => publishVersion(store, params, ctx),
    ListVersionByFunction: (params, ctx) => listVersionByFunction(store, params, ctx),
    CreateAlias: (params, ctx) => createAlias(store, params, ctx),
    UpdateAlias: (params, ctx) => updateAlias(store, params, ctx),
    GetAlias: (params, ctx) => getAlias(store, params, ctx),
    ListAliases: (params, ctx) => listAliases(store, params, ctx),
    ListTriggers: (params, ctx) => listTriggers(store, params, ctx),
    CreateTrigger: (params, ctx) => createTrigger(store, params, ctx),
    UpdateTrigger: (params, ctx) => updateTrigger(store, params, ctx),
    DeleteTrigger: (params, ctx) => deleteTrigger(store, params, ctx),
    ListNamespaces: (_params, ctx) => listNamespaces(store, ctx),
    CreateNamespace: (params, ctx) => createNamespace(store, params, ctx),
    GetAccount: (_params, ctx) => getAccount(store, ctx),
    GetCustomDomain: (params, ctx) => getCustomDomain(store, params, ctx),
    CreateCustomDomain: (params, ctx) => createCustomDomain(store, params, ctx),
    UpdateCustomDomain: (params, ctx) => updateCustomDomain(store, params, ctx),
  };
  for (const [action, handler] of Object.entries(actions)) {
    tencent.registerTencentAction(action, (params, ctx) => handler(withinRequestLimit(params), ctx), { versions: [SCF_API_VERSION] });
  }

  router.add('GET', '/_sandbox/scf', (_req, res) => {
    sendJson(res, 200, describeStore(store));
  });
  router.add('POST', '/_sandbox/scf/limits', (_req, res, ctx) => {
    const { functionsPerNamespace } = ctx.json<{ functionsPerNamespace?: unknown }>() ?? {};
    if (typeof functionsPerNamespace !== 'number' || !Number.isInteger(functionsPerNamespace) || functionsPerNamespace < 1) {
      throw new HttpError(400, 'functionsPerNamespace must be a positive integer');
    }
    store.functionsPerNamespace = functionsPerNamespace;
    sendJson(res, 200, { functionsPerNamespace });
  });
}

/** The request body (the parameters as JSON) is what the 10 MB TC3 limit counts. */
function withinRequestLimit(params: TencentParams): TencentParams {
  if (Buffer.byteLength(JSON.stringify(params)) > TC3_MAX_REQUEST_BYTES) {
    throw new TencentApiError('RequestSizeLimitExceeded', `请求包超过限制大小(${TC3_MAX_REQUEST_BYTES / 1024 / 1024} MB);更大的代码包请通过 COS 上传。`);
  }
  return params;
}

// ---------------------------------------------------------------------------------------------
// Functions

function regionOf(ctx: TencentActionContext): string {
  if (!ctx.region) throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `Region`.');
  return ctx.region;
}

function namespaceOf(store: ScfStore, params: TencentParams, region: string): string {
  const namespace = readString(params, 'Namespace') || 'default';
  if (namespace !== 'default' && !store.namespaces.get(region)?.has(namespace)) {
    throw new TencentApiError('ResourceNotFound.Namespace', `命名空间 ${namespace} 不存在。`);
  }
  return namespace;
}

const functionKey = (region: string, namespace: string, name: string): string => `${region}/${namespace}/${name}`;

function findFunction(store: ScfStore, params: TencentParams, ctx: TencentActionContext): ScfFunction {
  const region = regionOf(ctx);
  const name = readRequiredString(params, 'FunctionName');
  const fn = store.functions.get(functionKey(region, namespaceOf(store, params, region), name));
  if (!fn) throw new TencentApiError('ResourceNotFound.Function', `未找到指定的Function，请创建后再试。(${name})`);
  return fn;
}

function statusOf(fn: ScfFunction): string {
  if (fn.settling && Date.now() < fn.readyAt) return fn.settling;
  fn.settling = null;
  return 'Active';
}

/** Changes are refused while the function is still being created or updated, as SCF does. */
function requireActive(fn: ScfFunction, action: string): void {
  const status = statusOf(fn);
  if (status !== 'Active') throw new TencentApiError(`FailedOperation.${action}`, `当前函数处于${status}状态,无法进行此操作,请稍后重试。`);
}

function settle(fn: ScfFunction, as: 'Creating' | 'Updating'): void {
  fn.settling = as;
  fn.readyAt = Date.now() + SCF_SETTLE_MS;
  fn.modTime = timestamp();
}

const timestamp = (): string => new Date().toISOString().replace('T', ' ').slice(0, 19);

const versionStatus = (version: ScfVersion): string => (Date.now() < version.readyAt ? 'Publishing' : 'Active');

function findVersion(fn: ScfFunction, version: string): ScfVersion {
  const found = fn.versions.find((candidate) => candidate.version === version);
  if (!found) throw new TencentApiError('ResourceNotFound.Version', `函数 ${fn.name} 的版本 ${version} 不存在。`);
  return found;
}

/** GetFunction: `$LATEST` by default, or a published version's frozen code and configuration. */
function getFunction(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const qualifier = readString(params, 'Qualifier') || LATEST;
  const version = qualifier === LATEST ? undefined : findVersion(fn, qualifier);
  const config: Readonly<ScfConfiguration> = version ?? fn;
  return {
    FunctionName: fn.name,
    Namespace: fn.namespace,
    Runtime: config.runtime,
    Handler: config.handler,
    Description: version ? version.versionDescription : fn.description,
    MemorySize: config.memorySize,
    Timeout: config.timeout,
    Role: config.role,
    Environment: { Variables: config.environment },
    CodeSize: config.codeSize,
    CodeInfo: '',
    CodeResult: 'success',
    CodeError: '',
    ErrNo: 0,
    Status: version ? versionStatus(version) : statusOf(fn),
    StatusDesc: '',
    Type: fn.type,
    FunctionVersion: qualifier,
    Qualifier: qualifier,
    AddTime: version?.addTime ?? fn.addTime,
    ModTime: version?.addTime ?? fn.modTime,
    InstallDependency: 'FALSE',
    AsyncRunEnable: 'FALSE',
    TraceEnable: 'FALSE',
    Triggers: [...fn.triggers.values()].map((trigger) => triggerInfo(fn, trigger)),
    Tags: [],
    Layers: [],
  };
}

function listFunctions(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const region = regionOf(ctx);
  const namespace = namespaceOf(store, params, region);
  const offset = readInteger(params, 'Offset') ?? 0;
  const limit = readInteger(params, 'Limit') ?? 20;
  if (limit < 1 || limit > 100) throw invalid('Limit', 'Limit 取值范围 1-100。');
  const searchKey = readString(params, 'SearchKey') ?? '';
  const description = readString(params, 'Description') ?? '';
  const descending = (readString(params, 'Order') ?? 'DESC').toUpperCase() === 'DESC';
  const matching = [...store.functions.values()]
    .filter((fn) => fn.region === region && fn.namespace === namespace && fn.name.includes(searchKey) && fn.description.includes(description))
    .sort((a, b) => (a.addTime === b.addTime ? a.name.localeCompare(b.name) : a.addTime.localeCompare(b.addTime)) * (descending ? -1 : 1));
  return {
    TotalCount: matching.length,
    Functions: matching.slice(offset, offset + limit).map((fn) => ({
      FunctionName: fn.name,
      FunctionId: `lam-${createHash('sha256').update(functionKey(fn.region, fn.namespace, fn.name)).digest('hex').slice(0, 8)}`,
      Namespace: fn.namespace,
      Runtime: fn.runtime,
      Status: statusOf(fn),
      StatusDesc: '',
      Description: fn.description,
      Type: fn.type,
      AddTime: fn.addTime,
      ModTime: fn.modTime,
      Tags: [],
      StatusReasons: [],
      AsyncRunEnable: 'FALSE',
      TraceEnable: 'FALSE',
    })),
  };
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;
const HANDLER_PATTERN = /^([A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]|[A-Za-z])\.([A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]|[A-Za-z])$/;
/** "英文字母、数字、空格、逗号、换行符和英文句号，支持中文" (CreateFunction.Description). */
const DESCRIPTION_PATTERN = /^[A-Za-z0-9 ,.\n\u4e00-\u9fff]*$/;
/** "只能包含字母、数字、'_'和'-'，且必须以字母开头，长度限制为1-64" (CreateAlias.Name). */
const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function invalid(parameter: string, message: string): TencentApiError {
  return new TencentApiError(`InvalidParameterValue.${parameter}`, message);
}

function readHandler(params: TencentParams): string | undefined {
  const handler = readString(params, 'Handler');
  if (handler !== undefined && !HANDLER_PATTERN.test(handler)) throw invalid('Handler', `Handler ${handler} 格式不正确,应为 文件名.方法名,不能包含目录。`);
  return handler;
}

function readDescription(params: TencentParams): string | undefined {
  const description = readString(params, 'Description');
  if (description !== undefined && (description.length > 1000 || !DESCRIPTION_PATTERN.test(description))) {
    throw invalid('Description', 'Description 仅支持英文字母、数字、空格、逗号、换行符、英文句号及中文,最长 1000 个字符。');
  }
  return description;
}

function readMemory(params: TencentParams): number | undefined {
  const memory = readInteger(params, 'MemorySize');
  if (memory !== undefined && memory !== 64 && !(memory >= 128 && memory <= 3072 && memory % 128 === 0)) throw invalid('MemorySize', `MemorySize ${memory} 不合法。`);
  return memory;
}

function readTimeout(params: TencentParams): number | undefined {
  const timeout = readInteger(params, 'Timeout');
  if (timeout !== undefined && (timeout < 1 || timeout > 900)) throw invalid('Timeout', `Timeout ${timeout} 不合法,取值范围 1-900。`);
  return timeout;
}

function readEnvironment(params: TencentParams): ScfVariable[] | undefined {
  const environment = params.Environment;
  if (environment === undefined || environment === null) return undefined;
  const variables = (environment as { Variables?: unknown }).Variables ?? [];
  if (!Array.isArray(variables)) throw invalid('Environment', 'Environment.Variables 应为数组。');
  return variables.map((variable: unknown) => {
    const { Key, Value } = (variable ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(Key)) throw invalid('Environment', `环境变量名 ${String(Key)} 不合法。`);
    if (typeof Value !== 'string' || Value === '') throw invalid('Environment', `环境变量 ${Key} 的值不可为空。`);
    return { Key, Value };
  });
}

interface CodeFields {
  readonly ZipFile?: unknown;
  readonly CosBucketName?: unknown;
  readonly CosObjectName?: unknown;
  readonly CosBucketRegion?: unknown;
}

type ReadCode = { sha256: string; size: number; source: ScfCodeSource };

/** Checks a zip: at most maxBytes, a zip at all, and the handler's file at its root. */
function checkZip(bytes: Buffer, handler: string, maxBytes: number, parameter: string): { sha256: string; size: number } {
  if (bytes.length > maxBytes) throw invalid(parameter, `代码包超过 ${maxBytes / 1024 / 1024} MB,请通过 COS 上传。`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw invalid(parameter, `${parameter} 不是合法的 zip 文件。`);
  }
  const entry = `${handler.split('.')[0] ?? ''}.js`;
  if (!(entry in files)) throw invalid('Handler', `代码包根目录下没有入口文件 ${entry}。`);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/**
 * The code of a CreateFunction (`Code.*`) or UpdateFunctionCode (top-level fields, or `Code.*`):
 * inline `ZipFile`, or a COS object SCF reads from `<CosBucketName>-<appid>`. Not both.
 */
async function readCode(router: Router, fields: CodeFields, handler: string, maxInlineBytes: number): Promise<ReadCode> {
  const { ZipFile, CosBucketName, CosObjectName } = fields;
  const fromCos = CosBucketName !== undefined || CosObjectName !== undefined;
  if (fromCos && ZipFile !== undefined) throw invalid('Code', '不能同时指定 Cos 与 ZipFile。');
  if (!fromCos) {
    if (typeof ZipFile !== 'string' || ZipFile === '') throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `Code.ZipFile`.');
    return { ...checkZip(Buffer.from(ZipFile, 'base64'), handler, maxInlineBytes, 'ZipFile'), source: { type: 'ZipFile' } };
  }
  if (typeof CosBucketName !== 'string' || CosBucketName === '' || typeof CosObjectName !== 'string' || CosObjectName === '') {
    throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `CosBucketName` or `CosObjectName`.');
  }
  if (/-\d{5,20}$/.test(CosBucketName)) throw invalid('CosBucketName', `CosBucketName ${CosBucketName} 应为存储桶名称自定义部分,不包含 -appid。`);
  const bucket = `${CosBucketName}-${SANDBOX_APP_ID}`;
  const key = CosObjectName.replace(/^\//, '');
  const read = await readCosObject(router, bucket, key);
  if (!read.found) throw invalid('CosObjectName', `无法从 COS 读取代码包 ${bucket}${CosObjectName}(${read.code})。`);
  // What SCF itself accepts from COS is far larger than anything inline; the sandbox only checks the zip.
  return { ...checkZip(read.body, handler, Number.MAX_SAFE_INTEGER, 'CosObjectName'), source: { type: 'Cos', bucket, object: CosObjectName } };
}

function codeFieldsOf(value: unknown): CodeFields {
  return typeof value === 'object' && value !== null ? (value as CodeFields) : {};
}

function countIn(store: ScfStore, region: string, namespace: string): number {
  return [...store.functions.values()].filter((fn) => fn.region === region && fn.namespace === namespace).length;
}

async function createFunction(store: ScfStore, router: Router, params: TencentParams, ctx: TencentActionContext): Promise<TencentResponsePayload> {
  const region = regionOf(ctx);
  const namespace = namespaceOf(store, params, region);
  const name = readRequiredString(params, 'FunctionName');
  if (!NAME_PATTERN.test(name)) throw invalid('FunctionName', `函数名 ${name} 不合法:字母开头,字母、数字、-、_ 组成,2-60 个字符,不能以 - 或 _ 结尾。`);
  const key = functionKey(region, namespace, name);
  if (store.functions.has(key)) throw new TencentApiError('ResourceInUse.Function', `函数 ${name} 已存在。`);
  if (countIn(store, region, namespace) >= store.functionsPerNamespace) {
    throw new TencentApiError('LimitExceeded.Function', `命名空间 ${namespace} 的函数数量已达上限 ${store.functionsPerNamespace}。`);
  }
  const runtime = readString(params, 'Runtime') ?? 'Python2.7';
  if (!SCF_NODE_RUNTIMES.includes(runtime)) throw invalid('Runtime', `不支持的运行环境 ${runtime}。`);
  const handler = readHandler(params) ?? 'index.main_handler';
  const code = await readCode(router, codeFieldsOf(params.Code), handler, MAX_CREATE_ZIP_BYTES);
  const now = timestamp();
  const fn: ScfFunction = {
    region,
    namespace,
    name,
    runtime,
    type: readString(params, 'Type') ?? 'Event',
    handler,
    description: readDescription(params) ?? '',
    memorySize: readMemory(params) ?? 128,
    timeout: readTimeout(params) ?? 3,
    role: readString(params, 'Role') ?? '',
    environment: readEnvironment(params) ?? [],
    codeSha256: code.sha256,
    codeSize: code.size,
    codeSource: code.source,
    settling: null,
    readyAt: 0,
    addTime: now,
    modTime: now,
    triggers: new Map(),
    versions: [],
    lastVersion: 0,
    aliases: new Map(),
  };
  settle(fn, 'Creating');
  store.functions.set(key, fn);
  return {};
}

async function updateFunctionCode(store: ScfStore, router: Router, params: TencentParams, ctx: TencentActionContext): Promise<TencentResponsePayload> {
  const fn = findFunction(store, params, ctx);
  requireActive(fn, 'UpdateFunctionCode');
  const handler = readHandler(params) ?? fn.handler;
  const nested = codeFieldsOf(params.Code);
  const fields: CodeFields = {
    ZipFile: params.ZipFile ?? nested.ZipFile,
    CosBucketName: params.CosBucketName ?? nested.CosBucketName,
    CosObjectName: params.CosObjectName ?? nested.CosObjectName,
    CosBucketRegion: params.CosBucketRegion ?? nested.CosBucketRegion,
  };
  const code = await readCode(router, fields, handler, MAX_UPDATE_ZIP_BYTES);
  fn.handler = handler;
  fn.codeSha256 = code.sha256;
  fn.codeSize = code.size;
  fn.codeSource = code.source;
  settle(fn, 'Updating');
  return {};
}

function updateFunctionConfiguration(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  requireActive(fn, 'UpdateFunctionConfiguration');
  const runtime = readString(params, 'Runtime');
  if (runtime !== undefined && runtime !== fn.runtime) throw new TencentApiError('UnsupportedOperation.Runtime', `函数运行环境创建后不支持修改(当前 ${fn.runtime})。`);
  fn.description = readDescription(params) ?? fn.description;
  fn.memorySize = readMemory(params) ?? fn.memorySize;
  fn.timeout = readTimeout(params) ?? fn.timeout;
  fn.role = readString(params, 'Role') ?? fn.role;
  // Environment replaces the whole set, as the console's "save" does.
  fn.environment = readEnvironment(params) ?? fn.environment;
  settle(fn, 'Updating');
  return {};
}

/** Without Qualifier: the function with every version, alias and trigger. With one: that version only. */
function deleteFunction(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const qualifier = readString(params, 'Qualifier');
  if (qualifier !== undefined && qualifier !== '') {
    const version = findVersion(fn, qualifier);
    const alias = [...fn.aliases.values()].find((candidate) => candidate.functionVersion === version.version);
    if (alias) throw new TencentApiError('FailedOperation.DeleteFunction', `别名 ${alias.name} 指向版本 ${version.version},请先修改别名。`);
    fn.versions.splice(fn.versions.indexOf(version), 1);
    for (const [key, trigger] of fn.triggers) if (trigger.qualifier === version.version) fn.triggers.delete(key);
    return {};
  }
  const routedBy = [...store.domains.values()].find(
    (domain) => domain.region === fn.region && domain.endpoints.some((endpoint) => endpoint.Namespace === fn.namespace && endpoint.FunctionName === fn.name),
  );
  if (routedBy) throw new TencentApiError('FailedOperation.DeleteFunction', `函数 ${fn.name} 仍被自定义域名 ${routedBy.domain} 的路由使用,请先修改路由。`);
  store.functions.delete(functionKey(fn.region, fn.namespace, fn.name));
  return {};
}

// ---------------------------------------------------------------------------------------------
// Versions and aliases

function publishVersion(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  requireActive(fn, 'PublishVersion');
  const versionDescription = readDescription(params) ?? '';
  fn.lastVersion += 1;
  const version: ScfVersion = {
    runtime: fn.runtime,
    handler: fn.handler,
    description: fn.description,
    memorySize: fn.memorySize,
    timeout: fn.timeout,
    role: fn.role,
    environment: fn.environment.map((variable) => ({ ...variable })),
    codeSha256: fn.codeSha256,
    codeSize: fn.codeSize,
    codeSource: fn.codeSource,
    version: String(fn.lastVersion),
    versionDescription,
    addTime: timestamp(),
    readyAt: Date.now() + SCF_SETTLE_MS,
  };
  fn.versions.push(version);
  return {
    FunctionVersion: version.version,
    CodeSize: version.codeSize,
    MemorySize: version.memorySize,
    Description: versionDescription,
    Handler: version.handler,
    Timeout: version.timeout,
    Runtime: version.runtime,
    Namespace: fn.namespace,
  };
}

/** `FunctionVersion` (names, `$LATEST` first) and `Versions` (details), paged by Offset/Limit. */
function listVersionByFunction(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const offset = readInteger(params, 'Offset') ?? 0;
  const limit = readInteger(params, 'Limit') ?? 20;
  if (limit < 1 || limit > 100) throw invalid('Limit', 'Limit 取值范围 1-100。');
  const order = (readString(params, 'Order') ?? 'ASC').toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') throw invalid('Order', 'Order 取值 ASC 或 DESC。');
  const orderBy = readString(params, 'OrderBy') ?? 'AddTime';
  if (orderBy !== 'AddTime' && orderBy !== 'ModTime') throw invalid('OrderBy', 'OrderBy 取值 AddTime 或 ModTime。');
  const latest = { Version: LATEST, Description: fn.description, AddTime: fn.addTime, ModTime: fn.modTime, Status: statusOf(fn) };
  // Versions are numbered in publishing order, so that is AddTime order; $LATEST always leads.
  const published = fn.versions.map((version) => ({ Version: version.version, Description: version.versionDescription, AddTime: version.addTime, ModTime: version.addTime, Status: versionStatus(version) }));
  const all = [latest, ...(order === 'DESC' ? published.reverse() : published)];
  const page = all.slice(offset, offset + limit);
  return { FunctionVersion: page.map((version) => version.Version), Versions: page, TotalCount: all.length };
}

function readAliasName(params: TencentParams): string {
  const name = readRequiredString(params, 'Name');
  if (!ALIAS_PATTERN.test(name)) throw invalid('Name', `别名 ${name} 不合法:字母开头,字母、数字、_、- 组成,1-64 个字符。`);
  return name;
}

/** An alias points at `$LATEST` or a published version. */
function readAliasVersion(fn: ScfFunction, params: TencentParams): string {
  const version = readRequiredString(params, 'FunctionVersion');
  if (version !== LATEST) findVersion(fn, version);
  return version;
}

function findAlias(fn: ScfFunction, params: TencentParams): ScfAlias {
  const name = readRequiredString(params, 'Name');
  const alias = fn.aliases.get(name);
  if (!alias) throw new TencentApiError('ResourceNotFound.Alias', `函数 ${fn.name} 的别名 ${name} 不存在。`);
  return alias;
}

const aliasPayload = (alias: ScfAlias): TencentResponsePayload => ({
  FunctionVersion: alias.functionVersion,
  Name: alias.name,
  RoutingConfig: alias.routingConfig,
  Description: alias.description,
  AddTime: alias.addTime,
  ModTime: alias.modTime,
});

function createAlias(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const name = readAliasName(params);
  if (fn.aliases.has(name)) throw new TencentApiError('ResourceInUse.Alias', `函数 ${fn.name} 的别名 ${name} 已存在。`);
  const now = timestamp();
  fn.aliases.set(name, {
    name,
    functionVersion: readAliasVersion(fn, params),
    description: readDescription(params) ?? '',
    routingConfig: params.RoutingConfig ?? { AdditionalVersionWeights: [], AddtionVersionMatchs: [] },
    addTime: now,
    modTime: now,
  });
  return {};
}

function updateAlias(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const alias = findAlias(fn, params);
  alias.functionVersion = readAliasVersion(fn, params);
  alias.description = readDescription(params) ?? alias.description;
  alias.routingConfig = params.RoutingConfig ?? alias.routingConfig;
  alias.modTime = timestamp();
  return {};
}

function getAlias(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  return aliasPayload(findAlias(findFunction(store, params, ctx), params));
}

/** Offset and Limit are strings in this action (ListAliasesRequest), unlike the other List* actions. */
function readStringInteger(params: TencentParams, name: string): number | undefined {
  const value = readString(params, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw invalid(name, `${name} 应为数字字符串。`);
  return Number(value);
}

function listAliases(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const version = readString(params, 'FunctionVersion');
  const offset = readStringInteger(params, 'Offset') ?? 0;
  const limit = readStringInteger(params, 'Limit') ?? 20;
  const matching = [...fn.aliases.values()].filter((alias) => version === undefined || alias.functionVersion === version);
  return { Aliases: matching.slice(offset, offset + limit).map(aliasPayload), TotalCount: matching.length };
}

// ---------------------------------------------------------------------------------------------
// Triggers

const triggerKey = (qualifier: string, name: string): string => `${qualifier}\n${name}`;

/** `sec min hour dom mon dow year`; each field `*`, a number, a range, a list or a step. */
const CRON_FIELD = /^(\*|\?|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function validateTimer(desc: string): void {
  const fields = desc.trim().split(/\s+/);
  if (fields.length !== 7 || !fields.every((field) => CRON_FIELD.test(field))) {
    throw invalid('TriggerDesc', `定时触发器 cron 表达式 ${desc} 不合法:需要 7 个字段(秒 分 时 日 月 星期 年)。`);
  }
}

interface HttpTriggerDesc {
  AuthType: string;
  NetConfig: { EnableExtranet: boolean; EnableIntranet?: boolean };
  [key: string]: unknown;
}

function parseHttpDesc(desc: string | undefined): HttpTriggerDesc {
  let parsed: unknown;
  try {
    parsed = JSON.parse(desc ?? '');
  } catch {
    throw invalid('TriggerDesc', '函数 URL 的 TriggerDesc 应为 JSON。');
  }
  const value = parsed as Partial<HttpTriggerDesc> | null;
  if (!value || (value.AuthType !== 'NONE' && value.AuthType !== 'CAM') || typeof value.NetConfig?.EnableExtranet !== 'boolean') {
    throw invalid('TriggerDesc', '函数 URL 的 TriggerDesc 需要 AuthType(NONE|CAM) 与 NetConfig.EnableExtranet。');
  }
  return value as HttpTriggerDesc;
}

/** What ListTriggers shows: http triggers report their address inside TriggerDesc (ASSUMPTION, see top). */
function triggerInfo(fn: ScfFunction, trigger: ScfTrigger): TencentResponsePayload {
  let desc = trigger.desc;
  if (trigger.type === 'http') {
    const parsed = parseHttpDesc(trigger.desc);
    const host = `${SANDBOX_APP_ID}-${trigger.urlId ?? ''}.${fn.region}.tencentscf.com`;
    desc = JSON.stringify({ ...parsed, NetConfig: { ...parsed.NetConfig, ...(parsed.NetConfig.EnableExtranet ? { ExtranetUrl: `https://${host}` } : {}) } });
  }
  return {
    Type: trigger.type,
    TriggerName: trigger.name,
    TriggerDesc: desc,
    Enable: trigger.enable,
    Qualifier: trigger.qualifier,
    CustomArgument: trigger.customArgument,
    AvailableStatus: 'Available',
    AddTime: trigger.addTime,
    ModTime: trigger.modTime,
    Description: '',
  };
}

function listTriggers(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const offset = readInteger(params, 'Offset') ?? 0;
  const limit = readInteger(params, 'Limit') ?? 20;
  if (limit < 1 || limit > 100) throw invalid('Limit', 'Limit 取值范围 1-100。');
  const all = [...fn.triggers.values()];
  return { TotalCount: all.length, Triggers: all.slice(offset, offset + limit).map((trigger) => triggerInfo(fn, trigger)) };
}

function readTriggerType(params: TencentParams): 'http' | 'timer' {
  const type = readRequiredString(params, 'Type');
  if (type !== 'http' && type !== 'timer') throw invalid('Type', `沙箱只支持 http 与 timer 触发器(收到 ${type})。`);
  return type;
}

function readEnable(params: TencentParams): 0 | 1 | undefined {
  const enable = readString(params, 'Enable');
  if (enable === undefined) return undefined;
  if (enable !== 'OPEN' && enable !== 'CLOSE') throw invalid('Enable', 'Enable 取值 OPEN 或 CLOSE。');
  return enable === 'OPEN' ? 1 : 0;
}

/** A trigger's qualifier: `$LATEST` (the default), `$DEFAULT`, a published version or an alias. */
function readQualifier(fn: ScfFunction, params: TencentParams): string {
  const qualifier = readString(params, 'Qualifier') || LATEST;
  const known = qualifier === LATEST || qualifier === '$DEFAULT' || fn.aliases.has(qualifier) || fn.versions.some((version) => version.version === qualifier);
  if (!known) throw invalid('Qualifier', `函数 ${fn.name} 没有版本或别名 ${qualifier}。`);
  return qualifier;
}

function createTrigger(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  requireActive(fn, 'CreateTrigger');
  const type = readTriggerType(params);
  const name = readRequiredString(params, 'TriggerName');
  const desc = readString(params, 'TriggerDesc') ?? '';
  const qualifier = readQualifier(fn, params);
  if (type === 'timer') validateTimer(desc);
  else parseHttpDesc(desc);
  if (fn.triggers.has(triggerKey(qualifier, name))) throw new TencentApiError('ResourceInUse.Trigger', `触发器 ${name} 已存在。`);
  if (type === 'http' && [...fn.triggers.values()].some((trigger) => trigger.type === 'http' && trigger.qualifier === qualifier)) {
    throw new TencentApiError('ResourceInUse.Trigger', `函数 ${fn.name} 的 ${qualifier} 已有函数 URL。`);
  }
  const now = timestamp();
  const trigger: ScfTrigger = {
    type,
    name,
    desc,
    enable: readEnable(params) ?? 1,
    qualifier,
    customArgument: readString(params, 'CustomArgument') ?? '',
    addTime: now,
    modTime: now,
    ...(type === 'http' ? { urlId: randomBytes(6).toString('hex') } : {}),
  };
  fn.triggers.set(triggerKey(qualifier, name), trigger);
  return { TriggerInfo: triggerInfo(fn, trigger) };
}

/** By name, type and qualifier (`$LATEST` when not given), as Update/DeleteTrigger address one. */
function findTrigger(fn: ScfFunction, params: TencentParams): ScfTrigger {
  const name = readRequiredString(params, 'TriggerName');
  const type = readTriggerType(params);
  const qualifier = readString(params, 'Qualifier') || LATEST;
  const trigger = fn.triggers.get(triggerKey(qualifier, name));
  if (!trigger || trigger.type !== type) throw new TencentApiError('ResourceNotFound.Trigger', `触发器 ${name}(${qualifier}) 不存在。`);
  return trigger;
}

function updateTrigger(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  requireActive(fn, 'UpdateTrigger');
  const trigger = findTrigger(fn, params);
  const desc = readString(params, 'TriggerDesc');
  if (desc !== undefined) {
    if (trigger.type === 'timer') validateTimer(desc);
    else parseHttpDesc(desc);
    trigger.desc = desc;
  }
  trigger.enable = readEnable(params) ?? trigger.enable;
  trigger.customArgument = readString(params, 'CustomArgument') ?? trigger.customArgument;
  trigger.modTime = timestamp();
  return {};
}

function deleteTrigger(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  const trigger = findTrigger(fn, params);
  fn.triggers.delete(triggerKey(trigger.qualifier, trigger.name));
  return {};
}

// ---------------------------------------------------------------------------------------------
// Namespaces

function listNamespaces(store: ScfStore, ctx: TencentActionContext): TencentResponsePayload {
  const names = ['default', ...(store.namespaces.get(regionOf(ctx)) ?? [])];
  return { TotalCount: names.length, Namespaces: names.map((name) => ({ Name: name, Description: '', Type: 'default', AddTime: '', ModTime: '' })) };
}

function createNamespace(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const region = regionOf(ctx);
  const name = readRequiredString(params, 'Namespace');
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,29}$/.test(name)) throw invalid('Namespace', `命名空间名 ${name} 不合法。`);
  const names = store.namespaces.get(region) ?? new Set<string>();
  if (name === 'default' || names.has(name)) throw new TencentApiError('ResourceInUse.Namespace', `命名空间 ${name} 已存在。`);
  store.namespaces.set(region, names.add(name));
  return {};
}

/**
 * GetAccount: per namespace, the functions it holds (AccountUsage) and its quota (AccountLimit);
 * the other limits are placeholders with plausible values.
 */
function getAccount(store: ScfStore, ctx: TencentActionContext): TencentResponsePayload {
  const region = regionOf(ctx);
  const names = ['default', ...(store.namespaces.get(region) ?? [])];
  const functionsIn = (namespace: string) => [...store.functions.values()].filter((fn) => fn.region === region && fn.namespace === namespace).map((fn) => fn.name);
  return {
    AccountUsage: {
      NamespacesCount: names.length,
      Namespace: names.map((namespace) => ({ Namespace: namespace, Functions: functionsIn(namespace), FunctionsCount: functionsIn(namespace).length, TotalConcurrencyMem: 0, TotalAllocatedConcurrencyMem: 0, TotalAllocatedProvisionedMem: 0 })),
      TotalConcurrencyMem: 128_000,
      TotalAllocatedConcurrencyMem: 0,
      UserConcurrencyMemLimit: 128_000,
    },
    AccountLimit: {
      NamespacesCount: 5,
      Namespace: names.map((namespace) => ({
        Namespace: namespace,
        FunctionsCount: store.functionsPerNamespace,
        Trigger: { Cos: 10, Timer: 10, Cmq: 10, Total: 50, Ckafka: 10, Apigw: 10, Cls: 10, Clb: 10, Mps: 10, Cm: 10, Vod: 10, Eb: 10 },
        ConcurrentExecutions: 1000,
        TimeoutLimit: 900,
        TestModelLimit: 10,
        InitTimeoutLimit: 300,
        RetryNumLimit: 2,
        MinMsgTTL: 60,
        MaxMsgTTL: 21600,
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Custom domains

const PATH_MATCH = /^\/(\*|[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*(\/\*)?)?$/;

function readEndpoints(store: ScfStore, params: TencentParams, region: string): ScfEndpoint[] | undefined {
  const raw = params.EndpointsConfig;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('EndpointsConfig', 'EndpointsConfig 应为非空数组。');
  const seen = new Set<string>();
  return raw.map((item: unknown) => {
    const endpoint = (item ?? {}) as Partial<Record<keyof ScfEndpoint, unknown>>;
    const { Namespace, FunctionName, Qualifier, PathMatch } = endpoint;
    if (typeof Namespace !== 'string' || typeof FunctionName !== 'string' || typeof Qualifier !== 'string' || typeof PathMatch !== 'string') {
      throw invalid('EndpointsConfig', '每条路由需要 Namespace、FunctionName、Qualifier、PathMatch。');
    }
    if (!PATH_MATCH.test(PathMatch)) throw invalid('EndpointsConfig', `PathMatch ${PathMatch} 不合法(/、/*、/xxx、/xxx/a、/xxx/*)。`);
    if (seen.has(PathMatch)) throw invalid('EndpointsConfig', `PathMatch ${PathMatch} 重复。`);
    seen.add(PathMatch);
    const fn = store.functions.get(functionKey(region, Namespace, FunctionName));
    if (!fn) throw new TencentApiError('ResourceNotFound.Function', `路由 ${PathMatch} 指向的函数 ${FunctionName} 不存在。`);
    if (![...fn.triggers.values()].some((trigger) => trigger.type === 'http' && trigger.qualifier === Qualifier)) {
      throw new TencentApiError('FailedOperation.FunctionUrlNotFound', `函数 ${FunctionName} 的 ${Qualifier} 没有函数 URL,无法绑定自定义域名。`);
    }
    return { Namespace, FunctionName, Qualifier, PathMatch, ...(Array.isArray(endpoint.PathRewrite) ? { PathRewrite: endpoint.PathRewrite as ScfEndpoint['PathRewrite'] } : {}) };
  });
}

function readProtocol(params: TencentParams): string | undefined {
  const protocol = readString(params, 'Protocol');
  if (protocol !== undefined && !['HTTP', 'HTTPS', 'HTTP&HTTPS'].includes(protocol)) throw invalid('Protocol', 'Protocol 取值 HTTP、HTTPS 或 HTTP&HTTPS。');
  return protocol;
}

function readCertificate(params: TencentParams): string | undefined {
  const cert = params.CertConfig as { CertificateId?: unknown } | undefined;
  return typeof cert?.CertificateId === 'string' && cert.CertificateId !== '' ? cert.CertificateId : undefined;
}

function domainPayload(domain: ScfDomain): TencentResponsePayload {
  return {
    Domain: domain.domain,
    Protocol: domain.protocol,
    EndpointsConfig: domain.endpoints,
    CertConfig: domain.certificateId ? { CertificateId: domain.certificateId } : {},
    WafConfig: { WafOpen: 'CLOSE', WafInstanceId: '' },
    Tags: [],
  };
}

function findDomain(store: ScfStore, params: TencentParams, ctx: TencentActionContext): ScfDomain {
  const name = readRequiredString(params, 'Domain');
  const domain = store.domains.get(`${regionOf(ctx)}/${name}`);
  if (!domain) throw new TencentApiError('ResourceNotFound.Domain', `自定义域名 ${name} 不存在。`);
  return domain;
}

function getCustomDomain(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  return domainPayload(findDomain(store, params, ctx));
}

function createCustomDomain(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const region = regionOf(ctx);
  const name = readRequiredString(params, 'Domain');
  if (!/^(?!\*)([a-z0-9-]+\.)+[a-z]{2,}$/i.test(name)) throw invalid('Domain', `域名 ${name} 不合法(不支持泛域名)。`);
  if (store.domains.has(`${region}/${name}`)) throw new TencentApiError('ResourceInUse.Domain', `自定义域名 ${name} 已存在。`);
  const protocol = readProtocol(params);
  if (protocol === undefined) throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `Protocol`.');
  const endpoints = readEndpoints(store, params, region);
  if (!endpoints) throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `EndpointsConfig`.');
  const certificateId = readCertificate(params) ?? null;
  if (protocol !== 'HTTP' && !certificateId) throw invalid('CertConfig', 'HTTPS 协议需要 CertConfig.CertificateId。');
  store.domains.set(`${region}/${name}`, { region, domain: name, protocol, endpoints, certificateId });
  return {};
}

function updateCustomDomain(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const domain = findDomain(store, params, ctx);
  const protocol = readProtocol(params) ?? domain.protocol;
  const certificateId = readCertificate(params) ?? domain.certificateId;
  if (protocol !== 'HTTP' && !certificateId) throw invalid('CertConfig', 'HTTPS 协议需要 CertConfig.CertificateId。');
  domain.endpoints = readEndpoints(store, params, domain.region) ?? domain.endpoints;
  domain.protocol = protocol;
  domain.certificateId = certificateId;
  return {};
}

// ---------------------------------------------------------------------------------------------
// Control surface

function describeStore(store: ScfStore): Record<string, unknown> {
  return {
    functionsPerNamespace: store.functionsPerNamespace,
    functions: [...store.functions.values()].map((fn) => ({
      region: fn.region,
      namespace: fn.namespace,
      name: fn.name,
      runtime: fn.runtime,
      handler: fn.handler,
      description: fn.description,
      memorySize: fn.memorySize,
      timeout: fn.timeout,
      status: statusOf(fn),
      codeSha256: fn.codeSha256,
      codeSize: fn.codeSize,
      codeSource: fn.codeSource,
      // Names only: values may be secrets, and this endpoint is for looking, not for copying.
      environment: fn.environment.map((variable) => variable.Key),
      versions: fn.versions.map((version) => ({ version: version.version, description: version.versionDescription, codeSha256: version.codeSha256, memorySize: version.memorySize, status: versionStatus(version) })),
      aliases: [...fn.aliases.values()].map((alias) => ({ name: alias.name, functionVersion: alias.functionVersion })),
      triggers: [...fn.triggers.values()].map((trigger) => ({ ...triggerInfo(fn, trigger) })),
    })),
    namespaces: Object.fromEntries([...store.namespaces.entries()].map(([region, names]) => [region, [...names]])),
    domains: [...store.domains.values()].map((domain) => ({ region: domain.region, ...domainPayload(domain) })),
  };
}
