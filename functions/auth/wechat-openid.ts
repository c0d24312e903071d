import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { openidForCode, openidQuery } from '../../shared/payments/openid';
import { paymentPorts } from '../../shared/wiring/payments';

/** GET /auth/wechat/openid?code=… — the caller's openid for JSAPI pay, from a WeChat OAuth code. */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-wechat-openid',
  auth: 'user',
  query: openidQuery,
  async run({ query }) {
    return ok(await openidForCode(query.code, paymentPorts));
  },
});
