import * as z from 'zod/mini';
import { adminCostsQuery, adminFailedTasksQuery, adminPaymentAnomaliesQuery, adminTasksQuery, adminUsersQuery } from '../../shared/admin/schemas';
import {
  adminCostsData,
  adminFailedTasksData,
  adminPaymentAnomaliesData,
  adminStatsData,
  adminTasksData,
  adminUsersData,
  vendorStatusData,
} from '../../shared/admin/responses';
import { loginData, logoutData, openidData, publicUser, refreshData, sendCodeData } from '../../shared/auth/responses';
import { loginBody, refreshBody, sendCodeBody } from '../../shared/auth/schemas';
import { signedDownloadBody } from '../../shared/media/download';
import { signedDownloadData, uploadKeysData } from '../../shared/media/responses';
import { openidQuery } from '../../shared/payments/openid';
import { orderParams, ordersQuery } from '../../shared/payments/order-list';
import { refundBody, refundParams } from '../../shared/payments/refunds';
import { membershipStatusData, orderView, ordersData, purchaseData, refundedOrderData } from '../../shared/payments/responses';
import { purchaseBody } from '../../shared/payments/schemas';
import { quotaStatisticsData, taskCounts, transactionsData } from '../../shared/quota/responses';
import { transactionsQuery } from '../../shared/quota/schemas';
import {
  abilitiesData,
  abilityData,
  runningHubCallbackData,
  runningHubRetryBody,
  taskData,
  taskEventsData,
  taskListData,
  taskRetryData,
  taskSummaryData,
  taskViewData,
  webhookSecretData,
} from '../../shared/tasks/responses';
import { openApiQuery } from '../../shared/system/schemas';
import { callbackQuery, createTaskBody, listQuery, retryTaskBody, stsQuery, taskParams } from '../../shared/tasks/schemas';

/**
 * What the OpenAPI document (infra/openapi/document.ts) says about each route of shared/routes.ts,
 * keyed by route name. Adding a route = one entry here; test/unit/openapi.test.ts names every route
 * that has none. Request schemas are the very ones the endpoints validate with; success schemas are
 * the `data` of the contract's envelope (shared/<area>/responses.ts). Errors every route can answer
 * (1000, 1007–1009, 1011, 9999; 1010 with a JSON body; 1001 with a token; 1006 for admins) are
 * added by the generator, so `errors` lists only the route's own codes.
 */
type Schema = z.ZodMiniType;

export type Tag = 'auth' | 'membership' | 'media' | 'task' | 'admin' | 'system';

/** A reply outside the envelope (vendor callbacks, the document itself): status → content type → body schema (none: empty body). */
export type RawResponses = Readonly<Record<number, { readonly description: string; readonly content?: Readonly<Record<string, Schema>>; readonly headers?: readonly string[] }>>;

export interface Operation {
  readonly summary: string;
  readonly description?: string;
  readonly tag: Tag;
  /** `bearer`: the session token (`Authorization: Bearer …`); `admin`: an admin's token; `none`: public. */
  readonly auth: 'none' | 'bearer' | 'admin';
  readonly params?: Schema;
  readonly query?: Schema;
  /** Request headers the route reads (beyond Authorization and Content-Type). */
  readonly headers?: Schema;
  /** A JSON body schema, or the content types of a body taken raw (signed vendor callbacks). */
  readonly body?: Schema | { readonly raw: Readonly<Record<string, Schema>> };
  /** The JSON body may be left out (an empty body reads as `{}`, shared/http/endpoint.ts). */
  readonly bodyOptional?: true;
  /** The envelope's `data` on 200; omit for routes that only answer `raw`. */
  readonly data?: Schema;
  /** The route's own error codes (shared/errors.ts), beyond those every route can answer. */
  readonly errors: readonly number[];
  readonly raw?: RawResponses;
}

/** Response schemas used by several routes, named in components.schemas by these keys (instead of the first route's `<Route>Data`). */
export const namedSchemas: Readonly<Record<string, Schema>> = { User: publicUser, Order: orderView, WebhookSecret: webhookSecretData, TaskCounts: taskCounts, Ability: abilityData };

const wechatNotification = z.object({ id: z.string(), resource: z.object({ ciphertext: z.string() }) });
const wechatFailure = z.object({ code: z.literal('FAIL'), message: z.string() });
const alipayAnswer = z.enum(['success', 'fail']);

export const operations: Readonly<Record<string, Operation>> = {
  'auth-send-code': {
    summary: 'Send a login code by SMS',
    description:
      'A new phone and a known phone look the same. Limits: 5 per phone per minute, 20 per IP per hour (429, Retry-After). ' +
      'Past CAPTCHA_AFTER_SENDS_PER_IP_HOUR sends from one address within the hour, the body needs `captchaTicket` and `captchaRandstr` ' +
      'from the Tencent Captcha front end (1016 when missing or refused; its `details` say which).',
    tag: 'auth',
    auth: 'none',
    body: sendCodeBody,
    data: sendCodeData,
    errors: [1004, 1016, 6001],
  },
  'auth-login': {
    summary: 'Log in (or register) with phone and code',
    description: '`refreshToken` (extension) gets a new access token from POST /auth/refresh.',
    tag: 'auth',
    auth: 'none',
    body: loginBody,
    data: loginData,
    errors: [1005],
  },
  'auth-me': { summary: 'The caller’s profile and membership', tag: 'auth', auth: 'bearer', data: publicUser, errors: [] },
  'auth-logout': {
    summary: 'End every session of the caller',
    description: 'Every token issued to the caller so far stops working.',
    tag: 'auth',
    auth: 'bearer',
    data: logoutData,
    errors: [],
  },
  'auth-wechat-openid': {
    summary: 'The caller’s WeChat openid for JSAPI pay, from an OAuth code',
    tag: 'auth',
    auth: 'bearer',
    query: openidQuery,
    data: openidData,
    errors: [6002],
  },
  'membership-purchase': {
    summary: 'Create a membership order and the parameters to pay it',
    description: 'channel wx with openid → JSAPI parameters; wx without → `h5Url`; alipay → `payUrl` (the cashier). Then poll GET /membership/status.',
    tag: 'membership',
    auth: 'bearer',
    body: purchaseBody,
    data: purchaseData,
    errors: [5001],
  },
  'membership-status': {
    summary: 'Membership, quota and price',
    description: 'Settles overdue pending orders with their platform on the way.',
    tag: 'membership',
    auth: 'bearer',
    data: membershipStatusData,
    errors: [],
  },
  'membership-payment-callback': {
    summary: 'Payment notifications (WeChat Pay, Alipay); for the platforms only',
    description: 'Signed by the platform; answered in the platform’s own format, never the envelope. Payment and refund notifications alike (WeChat Pay REFUND.*; Alipay refunds).',
    tag: 'membership',
    auth: 'none',
    body: { raw: { 'application/json': wechatNotification, 'application/x-www-form-urlencoded': z.string() } },
    errors: [],
    raw: {
      200: { description: 'Alipay: handled (`success`) or refused (`fail`)', content: { 'text/plain': alipayAnswer } },
      204: { description: 'WeChat Pay: handled' },
      400: { description: 'Malformed or unrecognised notification', content: { 'application/json': wechatFailure, 'text/plain': alipayAnswer } },
      401: { description: 'WeChat Pay: signature verification failed', content: { 'application/json': wechatFailure } },
      500: { description: 'Not handled; the platform delivers again', content: { 'application/json': wechatFailure, 'text/plain': alipayAnswer } },
      503: { description: 'Busy; the platform delivers again', content: { 'application/json': wechatFailure, 'text/plain': alipayAnswer }, headers: ['retry-after'] },
    },
  },
  'media-sts': {
    summary: 'Temporary COS keys to upload one task’s input',
    description: 'PutObject only, only under `allowPrefix`, bodies up to 10 MB, for 15 minutes. Without `taskId` a new task id is minted. Members only.',
    tag: 'media',
    auth: 'bearer',
    query: stsQuery,
    data: uploadKeysData,
    errors: [1002, 1004],
  },
  'task-create': {
    summary: 'Create a task (basic_clean or model_pose12); holds 1 quota',
    description:
      'basic_clean finishes within the request; model_pose12 answers `processing`: poll GET /task/{taskId} every 3 s. ' +
      'With `callbackUrl` (extension) the task’s JSON is POSTed there, signed (Standard Webhooks; GET /webhook/secret), when it ends.',
    tag: 'task',
    auth: 'bearer',
    body: createTaskBody,
    data: taskSummaryData,
    errors: [1002, 1003, 2001, 2002, 2003, 3001, 3002, 3003, 4001],
  },
  'task-list': {
    summary: 'The caller’s tasks, newest first',
    description: 'Paged by `limit`/`offset` (the contract) or by `cursor` (extension: pass back `nextCursor`).',
    tag: 'task',
    auth: 'bearer',
    query: listQuery,
    data: taskListData,
    errors: [],
  },
  'task-get': {
    summary: 'One of the caller’s tasks',
    description: 'Another user’s task answers 404 exactly as a missing one. `progress` and `logs` are extensions (the task’s trail).',
    tag: 'task',
    auth: 'bearer',
    params: taskParams,
    data: taskViewData,
    errors: [],
  },
  'task-runninghub-callback': {
    summary: 'RunningHub’s webhook; for RunningHub only',
    description: 'The `token` query parameter picks the task; the body is only a hint.',
    tag: 'task',
    auth: 'none',
    query: callbackQuery,
    body: { raw: { 'application/json': z.object({}) } },
    data: runningHubCallbackData,
    errors: [],
    raw: { 503: { description: 'RunningHub could not be asked; deliver again', content: { 'application/json': runningHubRetryBody }, headers: ['retry-after'] } },
  },
  'admin-users': { summary: 'Every user, newest first, phones masked', tag: 'admin', auth: 'admin', query: adminUsersQuery, data: adminUsersData, errors: [] },
  'admin-tasks': { summary: 'Every task, newest first', tag: 'admin', auth: 'admin', query: adminTasksQuery, data: adminTasksData, errors: [] },
  'admin-failed-tasks': {
    summary: 'Tasks that failed in the last `days` days',
    tag: 'admin',
    auth: 'admin',
    query: adminFailedTasksQuery,
    data: adminFailedTasksData,
    errors: [],
  },
  'admin-payment-anomalies': {
    summary: 'Signed payment reports that can never be credited',
    description: 'docs/payments.md "Payment anomalies".',
    tag: 'admin',
    auth: 'admin',
    query: adminPaymentAnomaliesQuery,
    data: adminPaymentAnomaliesData,
    errors: [],
  },
  'auth-refresh': {
    summary: 'A new access token and refresh token for a refresh token',
    description:
      'Extension (docs/decisions/0015-refresh-tokens.md): the presented refresh token is retired; presenting a retired one again ends its family and every access token of the user. ' +
      'Any refusal is 1015: log in again.',
    tag: 'auth',
    auth: 'none',
    body: refreshBody,
    data: refreshData,
    errors: [1015],
  },
  'quota-transactions': {
    summary: 'The caller’s quota ledger, newest first',
    description: 'Extension. Paged by `limit` and `cursor` (pass back `nextCursor`).',
    tag: 'membership',
    auth: 'bearer',
    query: transactionsQuery,
    data: transactionsData,
    errors: [],
  },
  'quota-statistics': {
    summary: 'Where the caller’s quota went: totals, tasks, the last 12 months',
    description: 'Extension.',
    tag: 'membership',
    auth: 'bearer',
    data: quotaStatisticsData,
    errors: [],
  },
  'membership-orders': {
    summary: 'The caller’s orders, newest first',
    description: 'Extension. Paged by `limit` and `cursor` (pass back `nextCursor`).',
    tag: 'membership',
    auth: 'bearer',
    query: ordersQuery,
    data: ordersData,
    errors: [],
  },
  'membership-order': {
    summary: 'One of the caller’s orders',
    description: 'Extension. A pending order is settled with its platform first; another user’s order answers 5002 exactly as a missing one.',
    tag: 'membership',
    auth: 'bearer',
    params: orderParams,
    data: orderView,
    errors: [5002],
  },
  'admin-stats': {
    summary: 'Users, members, activity, tasks, revenue and refunds by month',
    description: 'Extension. Money in fen; months UTC.',
    tag: 'admin',
    auth: 'admin',
    data: adminStatsData,
    errors: [],
  },
  'task-events': {
    summary: 'One of the caller’s tasks’ event trail, oldest first',
    description: 'Extension. Another user’s task answers 404 exactly as a missing one.',
    tag: 'task',
    auth: 'bearer',
    params: taskParams,
    data: taskEventsData,
    errors: [],
  },
  'webhook-secret': {
    summary: 'The caller’s completion-webhook signing secret',
    description: 'Extension (README "Completion webhooks"). Created on first use.',
    tag: 'task',
    auth: 'bearer',
    data: webhookSecretData,
    errors: [],
  },
  'webhook-rotate-secret': {
    summary: 'Replace the caller’s completion-webhook signing secret',
    description: 'Extension. Attempts from now on are signed with the new secret.',
    tag: 'task',
    auth: 'bearer',
    data: webhookSecretData,
    errors: [],
  },
  'admin-order-refund': {
    summary: 'Refund a paid order in full at its platform',
    description:
      'Extension (docs/payments.md "Refunds"). Answers the order: `refunded` once the platform confirmed, `refunding` while it processes (the sweeper finishes it). ' +
      'A refunded order answers as it is; a pending or failed one 5003; a refusal or no answer from the platform 5004.',
    tag: 'admin',
    auth: 'admin',
    params: refundParams,
    body: refundBody,
    data: refundedOrderData,
    errors: [5002, 5003, 5004],
  },
  'abilities-list': {
    summary: 'What the app offers: every task type with its price, outputs and input schema',
    description: 'Extension. `inputSchema` is the JSON Schema (draft-07) of POST /task/create’s body for that type.',
    tag: 'task',
    auth: 'none',
    data: abilitiesData,
    errors: [],
  },
  'abilities-get': {
    summary: 'One task type’s catalogue entry',
    description: 'Extension. An unknown id answers 1007.',
    tag: 'task',
    auth: 'none',
    params: z.object({ abilityId: z.string() }),
    data: abilityData,
    errors: [],
  },
  'task-cancel': {
    summary: 'Cancel one of the caller’s processing tasks; its quota comes back',
    description:
      'Extension. The task ends `cancelled` (errorCode 3004) and its RunningHub run is cancelled. A task that already ended answers as it is (no error, no refund). ' +
      'Another user’s task answers 404 exactly as a missing one.',
    tag: 'task',
    auth: 'bearer',
    params: taskParams,
    data: taskData,
    errors: [],
  },
  'task-retry': {
    summary: 'Re-run a failed or cancelled task as a new task',
    description:
      'Extension. New id, the same input (copied), params and callbackUrl unless the body gives one; holds 1 quota, answers as POST /task/create plus `originalTaskId`. ' +
      'With `Idempotency-Key`, repeats answer the same new task; a key used for another task’s retry is 1000. A processing or done task is 1012; an input gone from storage 2004.',
    tag: 'task',
    auth: 'bearer',
    params: taskParams,
    headers: z.object({
      'Idempotency-Key': z.optional(z.string().check(z.regex(/^[\x21-\x7e]{1,64}$/))),
    }),
    body: retryTaskBody,
    bodyOptional: true,
    data: taskRetryData,
    errors: [1002, 1003, 1012, 2001, 2002, 2003, 2004, 3001, 3002, 3003, 4001],
  },
  'media-signed-download': {
    summary: 'A presigned download URL for one of the caller’s task objects',
    description: 'Extension. Only a key its task names (its input, or a result once done); any other key, another user’s and a missing one answer 1007. `ttl` 60–86400 s.',
    tag: 'media',
    auth: 'bearer',
    body: signedDownloadBody,
    data: signedDownloadData,
    errors: [],
  },
  'admin-vendor-status': {
    summary: 'Whether RunningHub, COS and Cloud Infinite answer, with latencies',
    description: 'Extension. Always 200: a vendor that fails shows `ok: false` and its error code.',
    tag: 'admin',
    auth: 'admin',
    data: vendorStatusData,
    errors: [],
  },
  'admin-costs': {
    summary: 'RunningHub coins and run seconds by UTC day and task type',
    description: 'Extension. `from`/`to` are UTC days (both included, at most 92); by default the last 7 days.',
    tag: 'admin',
    auth: 'admin',
    query: adminCostsQuery,
    data: adminCostsData,
    errors: [],
  },
  'system-openapi': {
    summary: 'This OpenAPI document',
    description: 'OpenAPI 3.1; `version=3.0` for tools that import only 3.0. Cacheable (Cache-Control, ETag).',
    tag: 'system',
    auth: 'none',
    query: openApiQuery,
    errors: [],
    raw: {
      200: { description: 'The document', content: { 'application/json': z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } },
      304: { description: 'Not modified (If-None-Match)' },
    },
  },
};
