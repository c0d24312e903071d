import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type JsapiPayParams, type MembershipStatus, type User } from '../api';
import { inWechat, oauthReturned, payInWechat, wechatOpenid } from '../wechat';
import { Card, ErrorBox, formatTime, messageOf, sleep } from './common';

const PENDING_KEY = 'aiphoto.paying';

/**
 * Contract flow 2: purchase → pay on the platform → poll GET /membership/status every 2 s until
 * isMember. Alipay and WeChat H5 leave the page (the cashier returns to PAYMENT_RETURN_URL, this
 * page); JSAPI pays in place inside WeChat.
 */
export function MembershipPage({ user, onChange }: { user: User; onChange: () => Promise<unknown> }) {
  const [status, setStatus] = useState<MembershipStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const alive = useRef(true);

  const pollUntilMember = async (previousExpiry: string | null) => {
    setWaiting(true);
    const deadline = Date.now() + 5 * 60_000;
    try {
      while (alive.current && Date.now() < deadline) {
        const current = await api.membershipStatus();
        setStatus(current);
        if (current.isMember && current.quota_expireAt !== previousExpiry) {
          sessionStorage.removeItem(PENDING_KEY);
          await onChange();
          return;
        }
        await sleep(2000);
      }
      if (alive.current) setError('暂未查询到支付结果,如已付款请稍后刷新');
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      if (alive.current) setWaiting(false);
    }
  };

  useEffect(() => {
    alive.current = true;
    api
      .membershipStatus()
      .then((current) => {
        setStatus(current);
        const pending = sessionStorage.getItem(PENDING_KEY);
        // Back from a cashier page (or WeChat OAuth): resume what was started before leaving.
        if (oauthReturned()) void buy('wx');
        else if (pending !== null) void pollUntilMember(pending === 'none' ? null : pending);
      })
      .catch((failure: unknown) => setError(messageOf(failure)));
    return () => {
      alive.current = false;
    };
  }, []);

  const buy = async (channel: 'wx' | 'alipay') => {
    setError(null);
    setBusy(true);
    try {
      const previousExpiry = (await api.membershipStatus()).quota_expireAt;
      const jsapi = channel === 'wx' && inWechat();
      const openid = jsapi ? await wechatOpenid() : undefined;
      if (openid === null) return; // on the way to WeChat OAuth; this page resumes on return
      const order = await api.purchase(channel, openid);
      const leaveFor = order.payParams.payUrl ?? order.payParams.h5Url;
      if (leaveFor) {
        sessionStorage.setItem(PENDING_KEY, previousExpiry ?? 'none');
        location.assign(leaveFor);
        return;
      }
      const outcome = await payInWechat(order.payParams as JsapiPayParams);
      if (outcome === 'cancel') return setError('已取消支付');
      if (outcome === 'fail') return setError('支付失败,请重试');
      await pollUntilMember(previousExpiry);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const price = status ? (status.price / 100).toFixed(2) : '—';
  return (
    <main class="page">
      <Card title="我的会员">
        {status ? (
          <dl class="facts" data-testid="membership">
            <dt>状态</dt>
            <dd data-testid="member-state">{status.isMember ? '会员有效' : '未开通'}</dd>
            <dt>剩余次数</dt>
            <dd>{status.quota_remaining}</dd>
            <dt>到期时间</dt>
            <dd>{status.isMember ? `${formatTime(status.quota_expireAt)}(${status.expireDays} 天)` : '—'}</dd>
          </dl>
        ) : (
          <p class="muted">加载中…</p>
        )}
        <p class="muted small">手机号 {user.phone}</p>
      </Card>
      <Card title={`会员月卡 ¥${price}`}>
        <p class="muted">每单增加 30 天有效期与 100 次生成次数。</p>
        {waiting ? (
          <p class="progress" role="status">
            正在确认支付结果…
          </p>
        ) : null}
        <ErrorBox error={error} />
        <div class="stack">
          <button class="primary alipay" disabled={busy || waiting} onClick={() => void buy('alipay')}>
            支付宝支付
          </button>
          <button class="primary wechat" disabled={busy || waiting} onClick={() => void buy('wx')}>
            微信支付
          </button>
        </div>
        {inWechat() ? <p class="hint">微信内无法打开支付宝:请点右上角「在浏览器打开」后再选支付宝。</p> : null}
      </Card>
    </main>
  );
}
