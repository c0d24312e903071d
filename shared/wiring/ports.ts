import { config } from '../config';
import { resolveTaskSettings } from '../config/tasks';
import type { TaskPorts } from '../tasks/ports';
import { cosObjectStore, type CosOptions } from '../vendors/cos';
import { runningHubClient } from '../vendors/runninghub';
import { webhookSender } from '../vendors/webhook-sender';

/**
 * The composition root of a function instance (shared/wiring/): the one place vendor clients are
 * built from configuration and handed to domain code, which never builds or imports a client
 * itself, so its branches can be unit-tested with in-memory fakes (test/helpers/fake-ports.ts).
 * Each port is built on first use and kept for the life of the instance; a setting missing in
 * production fails that first use, naming it. Ports whose SDK is large (Cloud Infinite: the COS SDK;
 * STS) are wired in their own files, so only the functions that use them bundle them.
 */
const built: Partial<TaskPorts> = {};

/** Builds a port on its first read and keeps it for the instance. */
function once<K extends keyof TaskPorts>(name: K, build: () => TaskPorts[K]): TaskPorts[K] {
  built[name] ??= build();
  return built[name] as TaskPorts[K];
}

/**
 * `base`'s ports plus `extra` ones, each built on first read: the extra ports of one function, so
 * only its bundle carries their SDK (shared/wiring/task-create.ts, media.ts).
 */
export function extendPorts<Base extends object, Extra extends object>(base: Base, extra: { [K in keyof Extra]: () => Extra[K] }): Base & Extra {
  const ports = Object.create(base) as Base & Extra;
  for (const [name, build] of Object.entries(extra) as [string, () => unknown][]) {
    let port: unknown;
    Object.defineProperty(ports, name, { enumerable: true, get: () => (port ??= build()) });
  }
  return ports;
}

export function cosOptions(): CosOptions {
  const settings = config();
  const tasks = resolveTaskSettings(settings);
  return { secretId: settings.TENCENT_SECRET_ID, secretKey: settings.TENCENT_SECRET_KEY, bucket: tasks.bucket, region: tasks.region, baseUrl: tasks.cosBaseUrl };
}

/** Settings, COS (signing and plain HTTP, no SDK) and RunningHub: what reading and finishing tasks need. */
export const taskPorts: TaskPorts = {
  get settings() {
    return config();
  },
  get tasks() {
    return once('tasks', () => resolveTaskSettings(config()));
  },
  get store() {
    return once('store', () => cosObjectStore(cosOptions()));
  },
  get runningHub() {
    return once('runningHub', () => runningHubClient({ baseUrl: taskPorts.tasks.runningHubBaseUrl, apiKey: config().RUNNINGHUB_API_KEY }));
  },
  /** In production only https URLs resolving to public addresses are called (shared/vendors/webhook-sender.ts). */
  get webhookSender() {
    return once('webhookSender', () => webhookSender({ publicOnly: config().APP_ENV === 'production' }));
  },
};
