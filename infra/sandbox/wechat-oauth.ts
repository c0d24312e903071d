/**
 * WeChat web OAuth (公众号网页授权), the step that gives JSAPI pay its openid:
 *   GET /connect/oauth2/authorize?appid&redirect_uri&response_type=code&scope=snsapi_base&state
 *       [&sandbox_user=alice]  → 302 to redirect_uri?code=…&state=…  (what WeChat does inside its browser)
 *   GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code
 *       → {access_token, expires_in, refresh_token, openid, scope}, or {errcode, errmsg} with HTTP 200
 *
 * Which openid a code gives (deterministic, so tests and people can predict it):
 *   - a code this sandbox issued → the openid of its `sandbox_user` (default "default"):
 *     `o` + the first 27 base64url characters of sha256("<appid>:user:<sandbox_user>");
 *     such a code works once and for 5 minutes, as WeChat's do (then 40163 / 40029);
 *   - any other code (test mode) → `o` + sha256("<appid>:code:<code>") the same way, reusable;
 *   - codes starting with `invalid` answer 40029 (invalid code), with `used` 40163 (code been used).
 * The appid and secret must be the sandbox's (infra/sandbox/payment-keys.ts): 40013 / 40125 otherwise.
 */
import { SANDBOX_WECHAT_APP_ID, SANDBOX_WECHAT_APP_SECRET } from './payment-keys';
import { randomHex, sandboxOpenid } from './payment-platforms';
import { HttpError, type Router, sendJson } from './router';
import type { SandboxState } from './state';

export interface WechatOAuthModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
}

const CODE_LIFETIME_MS = 5 * 60_000;
const SCOPES: ReadonlySet<string> = new Set(['snsapi_base', 'snsapi_userinfo']);

interface IssuedCode {
  readonly user: string;
  readonly scope: string;
  readonly issuedAt: number;
  used: boolean;
}

/** The openid a code maps to, as documented above (exported for tests and docs). */
export function sandboxOpenidForCode(code: string, issuedTo?: string): string {
  return sandboxOpenid(SANDBOX_WECHAT_APP_ID, issuedTo === undefined ? `code:${code}` : `user:${issuedTo}`);
}

export function registerWechatOAuth({ router, state }: WechatOAuthModuleContext): void {
  const issued = new Map<string, IssuedCode>();
  state.onReset(() => issued.clear());

  router.add('GET', '/connect/oauth2/authorize', (_req, res, ctx) => {
    const query = ctx.url.searchParams;
    if (query.get('appid') !== SANDBOX_WECHAT_APP_ID) throw new HttpError(400, 'appid is not the sandbox WeChat app');
    if (query.get('response_type') !== 'code') throw new HttpError(400, 'response_type must be code');
    const scope = query.get('scope') ?? '';
    if (!SCOPES.has(scope)) throw new HttpError(400, 'scope must be snsapi_base or snsapi_userinfo');
    let redirect: URL;
    try {
      redirect = new URL(query.get('redirect_uri') ?? '');
    } catch {
      throw new HttpError(400, 'redirect_uri must be an absolute URL');
    }
    const code = `sbx${randomHex(16)}`;
    issued.set(code, { user: query.get('sandbox_user') || 'default', scope, issuedAt: Date.now(), used: false });
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('state', query.get('state') ?? '');
    res.writeHead(302, { location: redirect.toString(), 'content-length': '0' });
    res.end();
  });

  router.add('GET', '/sns/oauth2/access_token', (_req, res, ctx) => {
    const query = ctx.url.searchParams;
    const fail = (errcode: number, errmsg: string): void => sendJson(res, 200, { errcode, errmsg: `${errmsg}, rid: ${randomHex(4)}` });
    if (query.get('appid') !== SANDBOX_WECHAT_APP_ID) return fail(40013, 'invalid appid');
    if (query.get('secret') !== SANDBOX_WECHAT_APP_SECRET) return fail(40125, 'invalid appsecret');
    if (query.get('grant_type') !== 'authorization_code') return fail(40002, 'invalid grant_type');
    const code = query.get('code') ?? '';
    if (code === '') return fail(41008, 'missing code');
    if (code.startsWith('invalid')) return fail(40029, 'invalid code');
    if (code.startsWith('used')) return fail(40163, 'code been used');
    const grant = issued.get(code);
    let openid: string;
    let scope = 'snsapi_base';
    if (grant) {
      if (grant.used) return fail(40163, 'code been used');
      if (Date.now() - grant.issuedAt > CODE_LIFETIME_MS) return fail(40029, 'invalid code');
      grant.used = true;
      openid = sandboxOpenidForCode(code, grant.user);
      scope = grant.scope;
    } else {
      openid = sandboxOpenidForCode(code);
    }
    sendJson(res, 200, { access_token: `SBX_${randomHex(24)}`, expires_in: 7200, refresh_token: `SBX_${randomHex(24)}`, openid, scope, is_snapshotuser: 0 });
  });
}
