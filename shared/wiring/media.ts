import { config } from '../config';
import type { MediaPorts } from '../media/ports';
import { tencentStsIssuer } from '../vendors/sts';
import { extendPorts, taskPorts } from './ports';

/** GET /media/sts's ports: settings, COS and STS (whose SDK only this bundle carries). */
export const mediaPorts: MediaPorts = extendPorts(taskPorts, {
  sts: () => {
    const settings = config();
    return tencentStsIssuer({ secretId: settings.TENCENT_SECRET_ID, secretKey: settings.TENCENT_SECRET_KEY, region: settings.TENCENT_REGION, endpoint: settings.TENCENT_API_ENDPOINT });
  },
});
