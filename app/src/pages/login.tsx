import { useEffect, useState } from 'preact/hooks';
import { api, session, type User } from '../api';
import { appConfig } from '../config';
import { Card, ErrorBox, messageOf } from './common';

/** Contract flow 1: send-code, then login; the token (and the refresh token) are kept in localStorage. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: (user: User) => void }) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const sendCode = async () => {
    setError(null);
    if (!/^1\d{10}$/.test(phone)) return setError('请输入 11 位手机号');
    setBusy(true);
    try {
      await api.sendCode(phone);
      setSent(true);
      setWait(60);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const login = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const answer = await api.login(phone, code.trim());
      session.keep(answer.token, answer.refreshToken);
      onLoggedIn(answer.user);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const smsUrl = appConfig.sandboxUrl ? `${appConfig.sandboxUrl}/_sandbox/sms/latest?phone=${encodeURIComponent(phone)}` : null;
  return (
    <main class="page narrow">
      <h1 class="brand">AI 商品照</h1>
      <p class="muted">上传一张商品图,得到白底精修图或 12 张 AI 模特图。</p>
      <Card title="手机号登录">
        <form onSubmit={login}>
          <label>
            手机号
            <input name="phone" type="tel" inputMode="numeric" maxLength={11} autoComplete="tel" placeholder="请输入手机号" value={phone} onInput={(e) => setPhone(e.currentTarget.value.trim())} />
          </label>
          <label>
            验证码
            <span class="row">
              <input name="code" inputMode="numeric" maxLength={6} autoComplete="one-time-code" placeholder="6 位验证码" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
              <button type="button" class="secondary" disabled={busy || wait > 0} onClick={sendCode}>
                {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
              </button>
            </span>
          </label>
          <ErrorBox error={error} />
          <button type="submit" class="primary" disabled={busy || !sent || code.trim().length === 0}>
            登录 / 注册
          </button>
        </form>
        {smsUrl && sent ? (
          <p class="hint" data-testid="sms-hint">
            本地沙箱不发真短信:验证码见{' '}
            <a href={smsUrl} target="_blank" rel="noreferrer">
              GET /_sandbox/sms/latest?phone={phone}
            </a>
          </p>
        ) : null}
      </Card>
    </main>
  );
}
