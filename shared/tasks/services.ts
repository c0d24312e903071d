import { config, type Config } from '../config';
import { resolveTaskSettings, type TaskSettings } from '../config/tasks';
import { cosObjectStore, type CosOptions, type ObjectStore } from '../vendors/cos';
import { runningHubClient, type RunningHubClient } from '../vendors/runninghub';

/**
 * The tasks settings and the SDK-free vendor clients of this function instance, built on first
 * use. A setting missing in production fails that first request, naming it. (STS and Cloud
 * Infinite, which need SDKs, are built where they are used, so other bundles stay small.)
 */
export interface TaskServices {
  readonly settings: Config;
  readonly tasks: TaskSettings;
  /** COS keys and addressing, for the clients built elsewhere (Cloud Infinite). */
  readonly cos: CosOptions;
  readonly store: ObjectStore;
  readonly runningHub: RunningHubClient;
}

let services: TaskServices | undefined;

export function taskServices(): TaskServices {
  if (services) return services;
  const settings = config();
  const tasks = resolveTaskSettings(settings);
  const cos: CosOptions = { secretId: settings.TENCENT_SECRET_ID, secretKey: settings.TENCENT_SECRET_KEY, bucket: tasks.bucket, region: tasks.region, baseUrl: tasks.cosBaseUrl };
  services = {
    settings,
    tasks,
    cos,
    store: cosObjectStore(cos),
    runningHub: runningHubClient({ baseUrl: tasks.runningHubBaseUrl, apiKey: settings.RUNNINGHUB_API_KEY }),
  };
  return services;
}
