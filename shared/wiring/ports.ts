import { config } from '../config';
import { resolveTaskSettings } from '../config/tasks';
import type { MediaPorts } from '../media/ports';
import type { CreatePorts, TaskPorts } from '../tasks/ports';
import { cosObjectStore, type CosOptions } from '../vendors/cos';
import { runningHubClient } from '../vendors/runninghub';

/**
 * The composition root of a function instance (shared/wiring/): the one place vendor clients are
 * built from configuration and handed to domain code, which never builds or imports a client
 * itself, so its branches can be unit-tested with in-memory fakes (test/helpers/fake-ports.ts).
 * Each port is built on first use and kept for the life of the instance; a setting missing in
 * production fails that first use, naming it. Ports whose SDK is large (Cloud Infinite: the COS SDK;
 * STS) are wired in their own files, so only the functions that use them bundle them.
 */
export type AllPorts = CreatePorts & MediaPorts;

const built: Partial<AllPorts> = {};

/** Builds a port on its first read and keeps it for the instance. */
export function once<K extends keyof AllPorts>(name: K, build: () => AllPorts[K]): AllPorts[K] {
  built[name] ??= build();
  return built[name] as AllPorts[K];
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
};
