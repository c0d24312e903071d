/**
 * The SCF API client the deployer uses: tencentcloud-sdk-nodejs-scf (API 2018-04-16), pointed at
 * the sandbox when TENCENT_SCF_API_ENDPOINT is set (locally it defaults to http://127.0.0.1:3100).
 */
import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { tencentClientProfile } from '../../shared/vendors/tencent-profile';
import type { DeploySettings } from './desired';

export type ScfClient = InstanceType<typeof scf.v20180416.Client>;

export function createScfClient(settings: Pick<DeploySettings, 'secretId' | 'secretKey' | 'region' | 'endpoint'>): ScfClient {
  return new scf.v20180416.Client({
    credential: { secretId: settings.secretId, secretKey: settings.secretKey },
    region: settings.region,
    profile: tencentClientProfile(settings.endpoint, 60),
  });
}

/** The Tencent error code (e.g. `ResourceNotFound.Function`) of an SDK error. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `ResourceNotFound.Function`, and the `ResourceNotFound.FunctionName` older answers use; likewise Alias, Domain. */
export function isNotFound(error: unknown, resource: 'Function' | 'Domain' | 'Alias'): boolean {
  return errorCode(error)?.startsWith(`ResourceNotFound.${resource}`) ?? false;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until a created or changed function (or, with `qualifier`, a just-published version) is
 * `Active`; SCF refuses further changes before that ("当前函数处于Updating状态,无法进行此操作").
 * A `…Failed` status stops the deploy with its reasons.
 */
export async function waitUntilActive(
  client: ScfClient,
  namespace: string,
  functionName: string,
  options: { pollMs: number; timeoutMs: number; qualifier?: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const label = options.qualifier ? `${functionName} version ${options.qualifier}` : functionName;
  for (;;) {
    const fn = await client.GetFunction({ FunctionName: functionName, Namespace: namespace, ...(options.qualifier ? { Qualifier: options.qualifier } : {}) });
    const status = fn.Status ?? 'Active';
    if (status === 'Active') return;
    if (/Failed$/.test(status)) {
      const reasons = (fn.StatusReasons ?? []).map((reason) => `${reason.ErrorCode ?? ''} ${reason.ErrorMessage ?? ''}`.trim()).join('; ');
      throw new Error(`${label} is ${status}${reasons ? `: ${reasons}` : ''}`);
    }
    if (Date.now() > deadline) throw new Error(`${label} still ${status} after ${Math.round(options.timeoutMs / 1000)} s`);
    await sleep(options.pollMs);
  }
}
