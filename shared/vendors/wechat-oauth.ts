import * as z from 'zod/mini';
import { vendorSignal } from '../deadline';
import { PlatformError } from './payment-types';

/**
 * WeChat web OAuth, the step before JSAPI pay: the H5 page inside WeChat is redirected through
 * open.weixin.qq.com/connect/oauth2/authorize (scope snsapi_base) and comes back with a `code`;
 * we exchange it here for the user's openid under our AppID. Codes are single-use and expire in
 * 5 minutes. The access_token in the answer is not needed for snsapi_base and is never kept.
 */
export const WECHAT_OAUTH_PRODUCTION_URL = 'https://api.weixin.qq.com';
const requestTimeoutMs = 8_000;

/** errcodes meaning "this code is no good" (invalid, used, expired) rather than "WeChat is unwell". */
const badCodeErrors: ReadonlySet<number> = new Set([40029, 40163, 41008, 40030]);

export interface WechatOAuthSettings {
  readonly baseUrl: string;
  readonly appId: string;
  readonly appSecret: string;
}

export type OpenidResult = { readonly ok: true; readonly openid: string } | { readonly ok: false; readonly reason: 'bad-code' };

export interface WechatOAuth {
  openidForCode(code: string): Promise<OpenidResult>;
}

const answerSchema = z.object({
  openid: z.optional(z.string().check(z.minLength(1))),
  errcode: z.optional(z.number()),
  errmsg: z.optional(z.string()),
});

export function createWechatOAuth(settings: WechatOAuthSettings): WechatOAuth {
  const baseUrl = settings.baseUrl.replace(/\/+$/, '');
  return {
    async openidForCode(code) {
      const query = new URLSearchParams({ appid: settings.appId, secret: settings.appSecret, code, grant_type: 'authorization_code' });
      let text: string;
      try {
        const response = await fetch(`${baseUrl}/sns/oauth2/access_token?${query.toString()}`, { signal: vendorSignal(requestTimeoutMs) });
        text = await response.text();
        if (!response.ok) throw new PlatformError('wx', `HTTP_${response.status}`, `WeChat OAuth answered HTTP ${response.status}`, response.status);
      } catch (error) {
        if (error instanceof PlatformError) throw error;
        throw new PlatformError('wx', 'NETWORK', `WeChat OAuth unreachable: ${(error as Error).name}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text) as unknown;
      } catch {
        throw new PlatformError('wx', 'MALFORMED', 'WeChat OAuth answered something that is not JSON');
      }
      const answer = z.safeParse(answerSchema, json);
      if (!answer.success) throw new PlatformError('wx', 'MALFORMED', 'WeChat OAuth answer has an unexpected shape');
      // WeChat answers errors with HTTP 200 and an errcode.
      if (answer.data.errcode !== undefined && answer.data.errcode !== 0) {
        if (badCodeErrors.has(answer.data.errcode)) return { ok: false, reason: 'bad-code' };
        throw new PlatformError('wx', String(answer.data.errcode), `WeChat OAuth refused: ${answer.data.errcode} ${answer.data.errmsg ?? ''}`.trim());
      }
      if (!answer.data.openid) throw new PlatformError('wx', 'MALFORMED', 'WeChat OAuth answer has no openid');
      return { ok: true, openid: answer.data.openid };
    },
  };
}
