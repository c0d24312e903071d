import { config, type Config } from '../config';
import { resolveTaskSettings, type TaskSettings } from '../config/tasks';
import { cloudInfinite, type CloudInfinite } from '../vendors/ci';
import { cosObjectStore, type ObjectStore } from '../vendors/cos';
import { runningHubClient, type RunningHubClient } from '../vendors/runninghub';
import { tencentStsIssuer, type FederationTokenIssuer } from '../vendors/sts';

/** The vendor clients of this function instance, built once; SDKs load on first use. */
export interface TaskServices {
  readonly settings: Config;
  readonly tasks: TaskSettings;
  readonly store: ObjectStore;
  readonly ci: CloudInfinite;
  readonly sts: FederationTokenIssuer;
  readonly runningHub: RunningHubClient;
}

let services: TaskServices | undefined;

export function taskServices(): TaskServices {
  if (services) return services;
  const settings = config();
  const tasks = resolveTaskSettings(settings);
  const store = cosObjectStore({
    secretId: settings.TENCENT_SECRET_ID,
    secretKey: settings.TENCENT_SECRET_KEY,
    bucket: tasks.bucket,
    region: tasks.region,
    baseUrl: tasks.cosBaseUrl,
  });
  services = {
    settings,
    tasks,
    store,
    ci: cloudInfinite(store, tasks.region),
    sts: tencentStsIssuer({ secretId: settings.TENCENT_SECRET_ID, secretKey: settings.TENCENT_SECRET_KEY, region: settings.TENCENT_REGION, endpoint: settings.TENCENT_API_ENDPOINT }),
    runningHub: runningHubClient({ baseUrl: tasks.runningHubBaseUrl, apiKey: settings.RUNNINGHUB_API_KEY }),
  };
  return services;
}
