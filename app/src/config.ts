/**
 * Build configuration (VITE_*) and the optional runtime block the local gateway injects into
 * index.html (window.__APP_CONFIG__, infra/local/gateway.ts): the sandbox's URL for the SMS hint and
 * the WeChat OAuth page to use. A production build has no runtime block and uses the build values.
 */
interface RuntimeConfig {
  sandboxUrl?: string;
  wechatAppId?: string;
  wechatOAuthUrl?: string;
}

declare global {
  interface Window {
    __APP_CONFIG__?: RuntimeConfig;
  }
}

const runtime: RuntimeConfig = window.__APP_CONFIG__ ?? {};

export const appConfig = {
  apiBase: (import.meta.env.VITE_API_BASE as string | undefined) || '/api',
  /** Only locally: where the sandbox shows the SMS it "sent" (GET /_sandbox/sms/latest?phone=). */
  sandboxUrl: runtime.sandboxUrl,
  wechatAppId: runtime.wechatAppId ?? (import.meta.env.VITE_WECHAT_APPID as string | undefined),
  wechatOAuthUrl: runtime.wechatOAuthUrl ?? ((import.meta.env.VITE_WECHAT_OAUTH_URL as string | undefined) || 'https://open.weixin.qq.com/connect/oauth2/authorize'),
};
