/**
 * Tencent SCF API (2018-04-16), the actions infra/tencent/deploy.ts calls through
 * tencentcloud-sdk-nodejs-scf: functions (Get/Create, UpdateFunctionCode, UpdateFunctionConfiguration),
 * triggers (List/Create/Update/DeleteTrigger: `http` = Function URL, `timer` = 7-field cron),
 * namespaces (List/CreateNamespace) and custom domains (Get/Create/UpdateCustomDomain). State lives in
 * memory, per region. `GET /_sandbox/scf` shows it, for people and tests.
 *
 * Behaviour copied from the real service where it is documented or observed (platform.md §2.3-2.5,
 * the SDK's scf_models.d.ts): a new or changed function is `Creating`/`Updating` for a moment and
 * refuses changes until `Active` ("FailedOperation.UpdateFunctionCode: 当前函数处于Updating状态…",
 * seen in the wild); the runtime cannot change after creation; a handler is `file.export` with the
 * file at the zip root; ZipFile ≤ 20 MB base64 on update; memory 64 or 128-3072 MB in 128 MB steps;
 * timeout 1-900 s; descriptions only letters, digits, spaces, commas, periods, newlines and Chinese.
 * ASSUMPTIONS (not confirmed against the real service): the Function URL host format and that the
 * address comes back as TriggerDesc.NetConfig.ExtranetUrl (what public deploy scripts read); that a
 * custom-domain route needs its function to have a Function URL; the exact error codes for those.
 */
import { createHash, randomBytes } from 'node:crypto';
import { unzipSync } from 'fflate';
import { sendJson, type Router } from './router';
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
/** Node runtimes the sandbox accepts: the SDK's list plus the newer strings the deployer may try. */
export const SCF_NODE_RUNTIMES: readonly string[] = ['Nodejs10.15', 'Nodejs12.16', 'Nodejs14.18', 'Nodejs16.13', 'Nodejs18.15', 'Nodejs20.x', 'Nodejs20.15', 'Nodejs22.x'];
/** How long a created or changed function stays Creating/Updating. */
export const SCF_SETTLE_MS = 30;
const SANDBOX_APP_ID = '1250000000';
const MAX_UPDATE_ZIP_BYTES = 20 * 1024 * 1024;
const MAX_CREATE_ZIP_BYTES = 50 * 1024 * 1024;

export interface ScfVariable {
  readonly Key: string;
  readonly Value: string;
}

export interface ScfTrigger {
  readonly type: 'http' | 'timer';
  readonly name: string;
  desc: string;
  enable: 0 | 1;
  readonly qualifier: string;
  customArgument: string;
  readonly addTime: string;
  modTime: string;
  /** Function URL host part, for http triggers. */
  readonly urlId?: string;
}

export interface ScfFunction {
  readonly region: string;
  readonly namespace: string;
  readonly name: string;
  readonly runtime: string;
  readonly type: string;
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  role: string;
  environment: ScfVariable[];
  codeSha256: string;
  codeSize: number;
  /** `Creating`/`Updating` until this time, then `Active`. */
  settling: 'Creating' | 'Updating' | null;
  readyAt: number;
  readonly addTime: string;
  modTime: string;
  readonly triggers: Map<string, ScfTrigger>;
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
}

export interface ScfModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  readonly tencent: TencentApi;
}

export function registerScf({ router, state, tencent }: ScfModuleContext): void {
  const store: ScfStore = { functions: new Map(), namespaces: new Map(), domains: new Map() };
  state.onReset(() => {
    store.functions.clear();
    store.namespaces.clear();
    store.domains.clear();
  });
  const actions: Record<string, (params: TencentParams, ctx: TencentActionContext) => TencentResponsePayload> = {
    GetFunction: (params, ctx) => getFunction(store, params, ctx),
    CreateFunction: (params, ctx) => createFunction(store, params, ctx),
    UpdateFunctionCode: (params, ctx) => updateFunctionCode(store, params, ctx),
    UpdateFunctionConfiguration: (params, ctx) => updateFunctionConfiguration(store, params, ctx),
    ListTriggers: (params, ctx) => listTriggers(store, params, ctx),
    CreateTrigger: (params, ctx) => createTrigger(store, params, ctx),
    UpdateTrigger: (params, ctx) => updateTrigger(store, params, ctx),
    DeleteTrigger: (params, ctx) => deleteTrigger(store, params, ctx),
    ListNamespaces: (_params, ctx) => listNamespaces(store, ctx),
    CreateNamespace: (params, ctx) => createNamespace(store, params, ctx),
    GetCustomDomain: (params, ctx) => getCustomDomain(store, params, ctx),
    CreateCustomDomain: (params, ctx) => createCustomDomain(store, params, ctx),
    UpdateCustomDomain: (params, ctx) => updateCustomDomain(store, params, ctx),
  };
  for (const [action, handler] of Object.entries(actions)) tencent.registerTencentAction(action, handler, { versions: [SCF_API_VERSION] });

  router.add('GET', '/_sandbox/scf', (_req, res) => {
    sendJson(res, 200, describeStore(store));
  });
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

function getFunction(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  return {
    FunctionName: fn.name,
    Namespace: fn.namespace,
    Runtime: fn.runtime,
    Handler: fn.handler,
    Description: fn.description,
    MemorySize: fn.memorySize,
    Timeout: fn.timeout,
    Role: fn.role,
    Environment: { Variables: fn.environment },
    CodeSize: fn.codeSize,
    CodeInfo: '',
    CodeResult: 'success',
    CodeError: '',
    ErrNo: 0,
    Status: statusOf(fn),
    StatusDesc: '',
    Type: fn.type,
    FunctionVersion: '$LATEST',
    Qualifier: '$LATEST',
    AddTime: fn.addTime,
    ModTime: fn.modTime,
    InstallDependency: 'FALSE',
    AsyncRunEnable: 'FALSE',
    TraceEnable: 'FALSE',
    Triggers: [...fn.triggers.values()].map((trigger) => triggerInfo(fn, trigger)),
    Tags: [],
    Layers: [],
  };
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;
const HANDLER_PATTERN = /^([A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]|[A-Za-z])\.([A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]|[A-Za-z])$/;
/** "英文字母、数字、空格、逗号、换行符和英文句号，支持中文" (CreateFunction.Description). */
const DESCRIPTION_PATTERN = /^[A-Za-z0-9 ,.\n\u4e00-\u9fff]*$/;

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

/** Decodes ZipFile and checks the handler's file is at the zip root. */
function readCode(zipBase64: string | undefined, handler: string, maxBytes: number): { sha256: string; size: number } {
  if (!zipBase64) throw new TencentApiError('MissingParameter', 'The request is missing a required parameter `Code.ZipFile`.');
  const bytes = Buffer.from(zipBase64, 'base64');
  if (bytes.length > maxBytes) throw invalid('ZipFile', `代码包超过 ${maxBytes / 1024 / 1024} MB,请通过 COS 上传。`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw invalid('ZipFile', 'ZipFile 不是合法的 zip 文件。');
  }
  const entry = `${handler.split('.')[0] ?? ''}.js`;
  if (!(entry in files)) throw invalid('Handler', `代码包根目录下没有入口文件 ${entry}。`);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

function createFunction(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const region = regionOf(ctx);
  const namespace = namespaceOf(store, params, region);
  const name = readRequiredString(params, 'FunctionName');
  if (!NAME_PATTERN.test(name)) throw invalid('FunctionName', `函数名 ${name} 不合法:字母开头,字母、数字、-、_ 组成,2-60 个字符,不能以 - 或 _ 结尾。`);
  const key = functionKey(region, namespace, name);
  if (store.functions.has(key)) throw new TencentApiError('ResourceInUse.Function', `函数 ${name} 已存在。`);
  const runtime = readString(params, 'Runtime') ?? 'Python2.7';
  if (!SCF_NODE_RUNTIMES.includes(runtime)) throw invalid('Runtime', `不支持的运行环境 ${runtime}。`);
  const handler = readHandler(params) ?? 'index.main_handler';
  const code = readCode((params.Code as { ZipFile?: string } | undefined)?.ZipFile, handler, MAX_CREATE_ZIP_BYTES);
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
    settling: null,
    readyAt: 0,
    addTime: now,
    modTime: now,
    triggers: new Map(),
  };
  settle(fn, 'Creating');
  store.functions.set(key, fn);
  return {};
}

function updateFunctionCode(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  requireActive(fn, 'UpdateFunctionCode');
  const handler = readHandler(params) ?? fn.handler;
  const zip = readString(params, 'ZipFile') ?? (params.Code as { ZipFile?: string } | undefined)?.ZipFile;
  const code = readCode(zip, handler, MAX_UPDATE_ZIP_BYTES);
  fn.handler = handler;
  fn.codeSha256 = code.sha256;
  fn.codeSize = code.size;
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

// ---------------------------------------------------------------------------------------------
// Triggers

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

function createTrigger(store: ScfStore, params: TencentParams, ctx: TencentActionContext): TencentResponsePayload {
  const fn = findFunction(store, params, ctx);
  requireActive(fn, 'CreateTrigger');
  const type = readTriggerType(params);
  const name = readRequiredString(params, 'TriggerName');
  const desc = readString(params, 'TriggerDesc') ?? '';
  const qualifier = readString(params, 'Qualifier') ?? '$LATEST';
  if (type === 'timer') validateTimer(desc);
  else parseHttpDesc(desc);
  if (fn.triggers.has(name)) throw new TencentApiError('ResourceInUse.Trigger', `触发器 ${name} 已存在。`);
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
  fn.triggers.set(name, trigger);
  return { TriggerInfo: triggerInfo(fn, trigger) };
}

function findTrigger(fn: ScfFunction, params: TencentParams): ScfTrigger {
  const name = readRequiredString(params, 'TriggerName');
  const type = readTriggerType(params);
  const trigger = fn.triggers.get(name);
  if (!trigger || trigger.type !== type) throw new TencentApiError('ResourceNotFound.Trigger', `触发器 ${name} 不存在。`);
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
  fn.triggers.delete(trigger.name);
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
    functions: [...store.functions.values()].map((fn) => ({
      region: fn.region,
      namespace: fn.namespace,
      name: fn.name,
      runtime: fn.runtime,
      handler: fn.handler,
      memorySize: fn.memorySize,
      timeout: fn.timeout,
      status: statusOf(fn),
      codeSha256: fn.codeSha256,
      codeSize: fn.codeSize,
      // Names only: values may be secrets, and this endpoint is for looking, not for copying.
      environment: fn.environment.map((variable) => variable.Key),
      triggers: [...fn.triggers.values()].map((trigger) => ({ ...triggerInfo(fn, trigger) })),
    })),
    namespaces: Object.fromEntries([...store.namespaces.entries()].map(([region, names]) => [region, [...names]])),
    domains: [...store.domains.values()].map((domain) => ({ region: domain.region, ...domainPayload(domain) })),
  };
}
