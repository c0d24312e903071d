import { api, type JsapiPayParams } from './api';
import { appConfig } from './config';

/** WeChat's in-app browser: JSAPI pay there, H5 pay (h5_url) everywhere else (payments.md §1). */
export const inWechat = (): boolean => /MicroMessenger/i.test(navigator.userAgent);

interface WeixinJSBridge {
  invoke(name: 'getBrandWCPayRequest', params: JsapiPayParams, callback: (answer: { err_msg: string }) => void): void;
}

declare global {
  interface Window {
    WeixinJSBridge?: WeixinJSBridge;
  }
}

const OPENID_KEY = 'aiphoto.openid';
const STATE = 'aiphoto-pay';

/**
 * The payer's openid for JSAPI pay: WeChat OAuth (snsapi_base) sends the browser back with ?code=,
 * which GET /auth/wechat/openid exchanges. Returns null when the browser is being sent to the OAuth page.
 */
export async function wechatOpenid(): Promise<string | null> {
  const known = sessionStorage.getItem(OPENID_KEY);
  if (known) return known;
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  if (code && query.get('state') === STATE) {
    const { openid } = await api.wechatOpenid(code);
    sessionStorage.setItem(OPENID_KEY, openid);
    // Drop the used code from the address bar: a reload must not exchange it again.
    history.replaceState(null, '', `${location.pathname}${location.hash}`);
    return openid;
  }
  if (!appConfig.wechatAppId) throw new Error('未配置微信公众号 AppID(VITE_WECHAT_APPID)');
  const back = `${location.origin}${location.pathname}${location.hash || '#/membership'}`;
  const authorize = new URL(appConfig.wechatOAuthUrl);
  authorize.search = new URLSearchParams({ appid: appConfig.wechatAppId, redirect_uri: back, response_type: 'code', scope: 'snsapi_base', state: STATE }).toString();
  authorize.hash = 'wechat_redirect';
  location.assign(authorize.toString());
  return null;
}

/** The code returned by WeChat OAuth is waiting in the URL: the membership page resumes the purchase. */
export const oauthReturned = (): boolean => new URLSearchParams(location.search).get('state') === STATE;

function bridgeReady(): Promise<WeixinJSBridge> {
  if (window.WeixinJSBridge) return Promise.resolve(window.WeixinJSBridge);
  return new Promise((resolve) => document.addEventListener('WeixinJSBridgeReady', () => window.WeixinJSBridge && resolve(window.WeixinJSBridge), { once: true }));
}

/** getBrandWCPayRequest after WeixinJSBridgeReady; "ok" is not proof of payment: the caller polls the status. */
export async function payInWechat(params: JsapiPayParams): Promise<'ok' | 'cancel' | 'fail'> {
  const bridge = await bridgeReady();
  return new Promise((resolve) =>
    bridge.invoke('getBrandWCPayRequest', params, (answer) => {
      if (answer.err_msg === 'get_brand_wcpay_request:ok') resolve('ok');
      else if (answer.err_msg === 'get_brand_wcpay_request:cancel') resolve('cancel');
      else resolve('fail');
    }),
  );
}
