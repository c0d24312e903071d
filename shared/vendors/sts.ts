import type { sts as StsSdk } from 'tencentcloud-sdk-nodejs-sts';
import { VendorError } from './vendor-error';
import { loadOnce } from './load-once';
import { tencentClientProfile } from './tencent-profile';

/** Temporary keys from Tencent STS GetFederationToken (vendors.md §4). */
export interface FederationTokenIssuer {
  issue(request: { name: string; policy: object; durationSeconds: number }): Promise<TemporaryKeys>;
}

export interface TemporaryKeys {
  readonly tmpSecretId: string;
  readonly tmpSecretKey: string;
  readonly sessionToken: string;
  /** Unix seconds. */
  readonly expiredTime: number;
}

export interface StsOptions {
  readonly secretId: string;
  readonly secretKey: string;
  readonly region: string;
  /** Tencent Cloud API override (the local sandbox); undefined = sts.tencentcloudapi.com. */
  readonly endpoint: string | undefined;
}

type StsClient = InstanceType<typeof StsSdk.v20180813.Client>;

/** tencentcloud-sdk-nodejs-sts, loaded on first use (TC3 signing, endpoint override for the sandbox). */
export function tencentStsIssuer(options: StsOptions): FederationTokenIssuer {
  const client = loadOnce(async (): Promise<StsClient> => {
    const { sts } = await import('tencentcloud-sdk-nodejs-sts');
    return new sts.v20180813.Client({
      credential: { secretId: options.secretId, secretKey: options.secretKey },
      region: options.region,
      profile: tencentClientProfile(options.endpoint),
    });
  });
  return {
    async issue({ name, policy, durationSeconds }) {
      let response;
      try {
        // The Policy parameter is URL-encoded JSON; the service decodes it (sts_models.d.ts).
        response = await (await client()).GetFederationToken({ Name: name, Policy: encodeURIComponent(JSON.stringify(policy)), DurationSeconds: durationSeconds });
      } catch (error) {
        const failure = error as { code?: string; message?: string };
        throw new VendorError('sts', failure.code ?? 'NetworkError', failure.message ?? 'GetFederationToken failed');
      }
      const credentials = response.Credentials;
      if (!credentials?.TmpSecretId || !credentials.TmpSecretKey || !credentials.Token || !response.ExpiredTime) {
        throw new VendorError('sts', 'UnexpectedResponse', 'GetFederationToken answered without credentials');
      }
      return { tmpSecretId: credentials.TmpSecretId, tmpSecretKey: credentials.TmpSecretKey, sessionToken: credentials.Token, expiredTime: response.ExpiredTime };
    },
  };
}
