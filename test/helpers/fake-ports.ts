import { loadConfig, type Config } from '../../shared/config';
import { resolveTaskSettings } from '../../shared/config/tasks';
import type { PaymentPorts } from '../../shared/payments/ports';
import type { CreatePorts } from '../../shared/tasks/ports';
import type { CloudInfinite, ImageInfo, ImageLabel, ModerationResult } from '../../shared/vendors/ci';
import type { ObjectStore, ProcessedObject } from '../../shared/vendors/cos';
import type { PlatformRefundReport } from '../../shared/vendors/payment-types';
import type { NodeInfo, RunningHubClient, RunningHubOutcome } from '../../shared/vendors/runninghub';

/**
 * In-memory fakes of the vendor ports (the same interfaces the real adapters implement, wired by
 * shared/wiring/), for fast unit tests of domain branches. Each fake records its calls and answers
 * what the test set; a function value throws or answers per call. Integration tests never use these:
 * they run the real adapters against the sandbox.
 */
type Answer<T> = T | Error | (() => T | Promise<T>);

async function answer<T>(value: Answer<T>): Promise<T> {
  if (value instanceof Error) throw value;
  return typeof value === 'function' ? (value as () => T | Promise<T>)() : value;
}

export interface FakeObjectStore extends ObjectStore {
  readonly objects: Map<string, { size: number; contentType: string }>;
  readonly puts: string[];
}

export function fakeObjectStore(): FakeObjectStore {
  const objects = new Map<string, { size: number; contentType: string }>();
  const puts: string[] = [];
  return {
    bucket: 'fake-bucket-1250000000',
    objects,
    puts,
    async stat(key) {
      return objects.get(key) ?? null;
    },
    async put(key: string, body: Buffer, contentType: string): Promise<ProcessedObject[]> {
      puts.push(key);
      objects.set(key, { size: body.length, contentType });
      return [];
    },
    signedGetUrl: (key, ttlSeconds) => `https://fake-cos.local/${key}?ttl=${ttlSeconds}`,
    signedDownloadUrl: (key, ttlSeconds, fileName, now = Date.now()) => ({
      url: `https://fake-cos.local/${key}?ttl=${ttlSeconds}&filename=${fileName}`,
      expiresAt: new Date(now + ttlSeconds * 1000),
    }),
    async copy(sourceKey, targetKey) {
      const source = objects.get(sourceKey);
      if (!source) return false;
      objects.set(targetKey, source);
      return true;
    },
  };
}

export interface FakeCloudInfinite extends CloudInfinite {
  imageInfoAnswer: Answer<ImageInfo>;
  moderationAnswer: Answer<ModerationResult>;
  labelsAnswer: Answer<ImageLabel[]>;
  processAnswer: Answer<{ key: string; size: number | undefined }>;
  readonly calls: string[];
}

export function fakeCloudInfinite(): FakeCloudInfinite {
  const fake: FakeCloudInfinite = {
    imageInfoAnswer: { format: 'jpeg', width: 800, height: 800, size: 1000 },
    moderationAnswer: { result: 0, label: 'Normal', score: 0 },
    labelsAnswer: [{ name: '上衣', confidence: 90, categories: ['服饰'] }],
    processAnswer: { key: 'output/x/result.jpg', size: 1000 },
    calls: [],
    async imageInfo(key) {
      fake.calls.push(`imageInfo ${key}`);
      return answer(fake.imageInfoAnswer);
    },
    async moderate(key) {
      fake.calls.push(`moderate ${key}`);
      return answer(fake.moderationAnswer);
    },
    async detectLabels(key) {
      fake.calls.push(`detectLabels ${key}`);
      return answer(fake.labelsAnswer);
    },
    async process(source, output, rule) {
      fake.calls.push(`process ${source} → ${output} (${rule})`);
      return answer(fake.processAnswer);
    },
  };
  return fake;
}

export interface FakeRunningHub extends RunningHubClient {
  /** Answers of create(), one per call, in order (the last repeats). */
  createAnswers: Answer<{ taskId: string }>[];
  outputsAnswer: Answer<RunningHubOutcome>;
  readonly creates: { workflowId: string; nodeInfoList: NodeInfo[]; webhookUrl?: string }[];
  readonly cancels: string[];
}

export function fakeRunningHub(): FakeRunningHub {
  const fake: FakeRunningHub = {
    createAnswers: [{ taskId: '1234567890123456789' }],
    outputsAnswer: { state: 'pending' },
    creates: [],
    cancels: [],
    async create(request) {
      fake.creates.push(request);
      const next = fake.createAnswers[Math.min(fake.creates.length - 1, fake.createAnswers.length - 1)] ?? new Error('no create answer');
      return answer(next);
    },
    async outputs() {
      return answer(fake.outputsAnswer);
    },
    async cancel(taskId) {
      fake.cancels.push(taskId);
    },
    async accountStatus() {
      return { remainCoins: '1000', currentTaskCounts: 0, remainMoney: undefined, currency: undefined, apiType: undefined };
    },
  };
  return fake;
}

/** Settings as in tests (APP_ENV=test defaults) with `overrides`. */
export function testSettings(overrides: Record<string, string> = {}): Config {
  return loadConfig({ APP_ENV: 'test', ...overrides });
}

export interface FakeCreatePorts extends CreatePorts {
  readonly store: FakeObjectStore;
  readonly ci: FakeCloudInfinite;
  readonly runningHub: FakeRunningHub;
}

export function fakeCreatePorts(overrides: Record<string, string> = {}): FakeCreatePorts {
  const settings = testSettings(overrides);
  return {
    settings,
    tasks: resolveTaskSettings(settings),
    store: fakeObjectStore(),
    ci: fakeCloudInfinite(),
    runningHub: fakeRunningHub(),
    webhookSender: { send: async () => ({ ok: false, error: 'no webhooks in unit tests' }) },
  };
}

export interface FakePaymentPorts extends PaymentPorts {
  /** Answers of wechatPay.refund / alipay.refund and of their refund queries. */
  refundAnswer: Answer<PlatformRefundReport>;
  queryRefundAnswer: Answer<PlatformRefundReport>;
  readonly refundCalls: string[];
}

/** Payment platforms for unit tests of the refund rules: every other call throws. */
export function fakePaymentPorts(): FakePaymentPorts {
  const unused = async (): Promise<never> => {
    throw new Error('not called in these tests');
  };
  const refundCalls: string[] = [];
  // Both platforms' refund calls: recorded in order and answered from the fake's settable answers.
  const refundSide = (channel: 'wx' | 'alipay') => ({
    async refund(request: { outRefundNo: string }) {
      refundCalls.push(`${channel} refund ${request.outRefundNo}`);
      return answer(fake.refundAnswer);
    },
    async queryRefund(_outTradeNo: string, outRefundNo: string) {
      refundCalls.push(`${channel} query ${outRefundNo}`);
      return answer(fake.queryRefundAnswer);
    },
  });
  const fake: FakePaymentPorts = {
    refundAnswer: new Error('no refund answer set'),
    queryRefundAnswer: new Error('no refund query answer set'),
    refundCalls,
    wechatPay: {
      appId: 'wx-app',
      mchId: 'mch-1',
      createJsapiOrder: unused,
      createH5Order: unused,
      queryOrder: unused,
      closeOrder: unused,
      ...refundSide('wx'),
      readNotification: () => ({ kind: 'rejected', reason: 'malformed' }),
    },
    alipay: {
      appId: 'ali-app',
      sellerId: 'seller-1',
      wapPayUrl: () => 'https://alipay.invalid/',
      queryOrder: unused,
      closeOrder: unused,
      ...refundSide('alipay'),
      readNotification: () => ({ kind: 'rejected', reason: 'malformed' }),
    },
    wechatOAuth: { openidForCode: unused },
  };
  return fake;
}
