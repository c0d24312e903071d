import * as z from 'zod/mini';
import { int, list, optionalText, secret, setting, text } from './define';

/** Settings of the tasks area: uploads (STS/COS), Cloud Infinite, RunningHub and task lifetimes. */

const url = () => z.optional(z.string().check(z.regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an http(s) URL'), z.refine((value) => !value.endsWith('/'), 'must not end with /')));
const bucketName = () => z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*-\d{5,20}$/, 'must look like <name>-<appid>')));
const nodeField = () => z.optional(z.string().check(z.regex(/^[^:\s]+:[^:\s]+$/, 'must be <nodeId>:<fieldName>')));

/**
 * Upload-key lifetime: at most 7200 s, GetFederationToken's limit for a root account (vendors.md
 * §4.2), and at least the 15 minutes an upload is given (issue 4). A bad value fails at start,
 * not at the first upload.
 */
const stsDuration = () =>
  z._default(
    z.coerce.number().check(
      z.refine((value) => Number.isInteger(value), 'must be an integer'),
      z.gte(900),
      z.lte(7200),
    ),
    900,
  );

export const tasksSettings = {
  COS_BUCKET: setting(bucketName(), 'COS bucket `<name>-<appid>` for uploads (input/) and results (output/); required in production'),
  COS_REGION: setting(text('ap-guangzhou'), 'Region of COS_BUCKET'),
  COS_APP_ID: setting(optionalText(), 'COS AppId (the uid in STS policy resources); unset: the digits after the last - of COS_BUCKET'),
  COS_ENDPOINT: setting(
    url(),
    'Base URL of a COS-compatible endpoint that takes the bucket in the path (`<url>/<bucket>/<key>`); unset: the real `<bucket>.cos.<region>.myqcloud.com`, or locally the sandbox at TENCENT_API_ENDPOINT',
  ),
  STS_DURATION_SECONDS: setting(stsDuration(), 'Lifetime of upload keys from GET /media/sts (seconds, 900 to 7200)'),
  STS_RATE_PER_USER_PER_MINUTE: setting(int(20, 1), 'GET /media/sts requests per user per minute'),
  UPLOAD_MAX_BYTES: setting(int(10 * 1024 * 1024, 1), 'Largest input image (bytes): the STS policy’s content-length condition and the 2002 check'),
  RESULT_URL_TTL_SECONDS: setting(int(3600, 60), 'Lifetime of the signed result URLs in task answers (seconds)'),
  RESULT_PUBLIC_BASE_URL: setting(url(), 'Public or CDN base URL for results (`<url>/<key>`); unset: signed COS GET URLs'),
  CLOTHING_LABELS: setting(
    list('服装,服饰,衣服,上衣,连衣裙,裙子,半身裙,裤子,牛仔裤,短裤,外套,大衣,夹克,卫衣,毛衣,衬衫,T恤,西装,鞋,鞋子,运动鞋,靴子,高跟鞋'),
    'CI detect-label names (or categories) that count as a garment; none of them → 2003',
  ),
  GARMENT_MIN_CONFIDENCE: setting(int(60, 0), 'Lowest detect-label confidence (0-100) that counts as a garment'),
  CI_CLEAN_RULE: setting(
    text('ci-process=GoodsMatting|imageMogr2/color/{background}/format/jpg'),
    'Pic-Operations rule of basic_clean; {background} becomes the template’s colour (URL-safe base64 of #RRGGBB)',
  ),
  RUNNINGHUB_BASE_URL: setting(url(), 'RunningHub API base URL (legacy /task/openapi/*); unset: https://www.runninghub.cn, or locally the sandbox at TENCENT_API_ENDPOINT'),
  RUNNINGHUB_API_KEY: secret('RunningHub API key (32 characters)'),
  RUNNINGHUB_WORKFLOW_ID: setting(optionalText(), 'RunningHub workflow id of model_pose12 (digits); required in production'),
  RUNNINGHUB_NODE_IMAGE: setting(nodeField(), 'Workflow input for the garment image URL, `<nodeId>:<fieldName>`; required in production'),
  RUNNINGHUB_NODE_SCENE: setting(nodeField(), 'Workflow input for the scene, `<nodeId>:<fieldName>`; required in production'),
  RUNNINGHUB_NODE_CATEGORY: setting(nodeField(), 'Workflow input for the garment category, `<nodeId>:<fieldName>`; required in production'),
  RUNNINGHUB_QUEUE_RETRIES: setting(int(3, 0), 'Extra create attempts when RunningHub answers TASK_QUEUE_MAXED (backoff 0.3 s, doubling)'),
  RUNNINGHUB_POLL_INTERVAL_SECONDS: setting(int(3, 1), 'At most one RunningHub outputs check per task per this many seconds'),
  TASK_DEADLINE_MODEL_POSE12_SECONDS: setting(int(600, 30), 'model_pose12 tasks still processing after this fail with 3002 and get their quota back'),
  TASK_DEADLINE_BASIC_CLEAN_SECONDS: setting(int(120, 10), 'basic_clean tasks still processing after this fail with 3002 and get their quota back'),
  TASK_COPY_CONCURRENCY: setting(int(4, 1), 'Frames copied from RunningHub into COS at once, per task'),
  WEBHOOK_BASE_URL: setting(url(), 'Public API base URL RunningHub calls back (`<url>/task/runninghub-callback`); unset: no webhook, polling alone finishes tasks'),
  CLIENT_WEBHOOK_IMMEDIATE_TIMEOUT_MS: setting(int(2000, 100), 'Longest the request that ends a task waits for the first attempt of its completion webhook (ms); later attempts are the sweeper’s'),
  CLIENT_WEBHOOK_TIMEOUT_MS: setting(int(10_000, 1000), 'Time limit of one completion webhook attempt made by the sweeper (ms)'),
};

/** The tasks settings as the code uses them: production defaults filled in, node inputs split. */
export interface TaskSettings {
  readonly bucket: string;
  readonly region: string;
  readonly appId: string;
  /** `<url>/<bucket>/<key>` addressing; undefined = real COS virtual-host addressing. */
  readonly cosBaseUrl: string | undefined;
  readonly runningHubBaseUrl: string;
  readonly workflowId: string;
  readonly imageNode: NodeInput;
  readonly sceneNode: NodeInput;
  readonly categoryNode: NodeInput;
}

export interface NodeInput {
  readonly nodeId: string;
  readonly fieldName: string;
}

interface TasksConfigView {
  readonly isLocal: boolean;
  readonly TENCENT_API_ENDPOINT: string | undefined;
  readonly COS_BUCKET: string | undefined;
  readonly COS_REGION: string;
  readonly COS_APP_ID: string | undefined;
  readonly COS_ENDPOINT: string | undefined;
  readonly RUNNINGHUB_BASE_URL: string | undefined;
  readonly RUNNINGHUB_WORKFLOW_ID: string | undefined;
  readonly RUNNINGHUB_NODE_IMAGE: string | undefined;
  readonly RUNNINGHUB_NODE_SCENE: string | undefined;
  readonly RUNNINGHUB_NODE_CATEGORY: string | undefined;
}

/**
 * Fills the derived values. Locally every vendor is the one sandbox at TENCENT_API_ENDPOINT, so
 * a sandbox on any port (tests, `npm run dev` on another port) needs no further settings.
 * Settings required in production throw here, which endpoints call at cold start.
 */
export function resolveTaskSettings(settings: TasksConfigView): TaskSettings {
  const missing: string[] = [];
  const required = (name: string, value: string | undefined): string => {
    if (value === undefined) missing.push(name);
    return value ?? '';
  };
  const node = (name: string, value: string | undefined): NodeInput => {
    const [nodeId = '', fieldName = ''] = required(name, value).split(':');
    return { nodeId, fieldName };
  };
  const sandbox = settings.isLocal ? settings.TENCENT_API_ENDPOINT?.replace(/\/$/, '') : undefined;
  const bucket = required('COS_BUCKET', settings.COS_BUCKET);
  const resolved: TaskSettings = {
    bucket,
    region: settings.COS_REGION,
    appId: settings.COS_APP_ID ?? bucket.slice(bucket.lastIndexOf('-') + 1),
    cosBaseUrl: settings.COS_ENDPOINT ?? sandbox,
    runningHubBaseUrl: settings.RUNNINGHUB_BASE_URL ?? sandbox ?? 'https://www.runninghub.cn',
    workflowId: required('RUNNINGHUB_WORKFLOW_ID', settings.RUNNINGHUB_WORKFLOW_ID),
    imageNode: node('RUNNINGHUB_NODE_IMAGE', settings.RUNNINGHUB_NODE_IMAGE),
    sceneNode: node('RUNNINGHUB_NODE_SCENE', settings.RUNNINGHUB_NODE_SCENE),
    categoryNode: node('RUNNINGHUB_NODE_CATEGORY', settings.RUNNINGHUB_NODE_CATEGORY),
  };
  if (missing.length > 0) throw new Error(`Invalid configuration: missing required setting(s): ${missing.join(', ')}`);
  return resolved;
}
