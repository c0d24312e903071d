import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, LOGGED_OUT_EVENT, session, type User } from './api';
import { CreatePage } from './pages/create';
import { HistoryPage } from './pages/history';
import { LoginPage } from './pages/login';
import { MembershipPage } from './pages/membership';
import { TaskPage } from './pages/task';
import { WalletPage } from './pages/wallet';

/** Hash routes (#/membership, #/task/<id>): any static host serves them without rewrite rules. */
function useRoute(): string {
  const read = () => location.hash.replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export const go = (path: string): void => {
  location.hash = path;
};

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<User | null>(null);
  const [checked, setChecked] = useState(false);

  const refreshUser = async (): Promise<User | null> => {
    if (!session.token) {
      setUser(null);
      return null;
    }
    try {
      const me = await api.me();
      setUser(me);
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setUser(null);
      return null;
    } finally {
      setChecked(true);
    }
  };

  useEffect(() => {
    void refreshUser().finally(() => setChecked(true));
    // A 401 that a refresh could not cure (src/api.ts): back to the login page.
    const loggedOut = () => setUser(null);
    window.addEventListener(LOGGED_OUT_EVENT, loggedOut);
    return () => window.removeEventListener(LOGGED_OUT_EVENT, loggedOut);
  }, []);

  if (!checked) return <main class="page"><p class="muted">加载中…</p></main>;
  if (!user) {
    return (
      <LoginPage
        onLoggedIn={(loggedIn) => {
          setUser(loggedIn);
          if (route === '/' || route === '/login') go(loggedIn.isMember ? '/create' : '/membership');
        }}
      />
    );
  }

  const [, section, id] = route.split('/');
  let page;
  if (section === 'membership') page = <MembershipPage user={user} onChange={refreshUser} />;
  else if (section === 'task' && id) page = <TaskPage key={id} taskId={decodeURIComponent(id)} onChange={refreshUser} />;
  else if (section === 'history') page = <HistoryPage />;
  else if (section === 'wallet') page = <WalletPage />;
  else if (section === 'create' || user.isMember) page = <CreatePage user={user} onChange={refreshUser} />;
  else page = <MembershipPage user={user} onChange={refreshUser} />;

  return (
    <div class="shell">
      <header class="top">
        <strong>AI 商品照</strong>
        <span class="quota" data-testid="quota">
          {user.isMember ? `会员 · 剩余 ${user.quota_remaining} 次` : '未开通会员'}
        </span>
      </header>
      {page}
      <nav class="tabs">
        <a href="#/create" class={section === 'create' || section === undefined || section === '' ? 'active' : ''}>创作</a>
        <a href="#/history" class={section === 'history' || section === 'task' ? 'active' : ''}>记录</a>
        <a href="#/membership" class={section === 'membership' ? 'active' : ''}>会员</a>
        <a href="#/wallet" class={section === 'wallet' ? 'active' : ''}>账单</a>
      </nav>
    </div>
  );
}
