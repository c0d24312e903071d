import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type LedgerEntry, type Order, type Page, type QuotaStatistics } from '../api';
import { Card, ErrorBox, formatTime, messageOf } from './common';

export const orderStatusName = (status: string): string =>
  ({ pending: '待支付', paid: '已支付', failed: '支付失败', refunding: '退款中', refunded: '已退款' })[status] ?? status;

const channelName = (channel: string): string => ({ wx: '微信支付', alipay: '支付宝' })[channel] ?? channel;

const signed = (delta: number): string => (delta > 0 ? `+${delta}` : String(delta));

/** A keyset list (README "Wallet"): the first page on mount, the next with 加载更多 while nextCursor is set. */
function PagedList<T>({ id, title, load, render }: { id: string; title: string; load: (cursor?: string) => Promise<Page<T>>; render: (item: T) => JSX.Element }) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const more = async (from?: string) => {
    setLoading(true);
    setError(null);
    try {
      const page = await load(from);
      setItems((shown) => [...(from === undefined ? [] : (shown ?? [])), ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void more(), []);

  return (
    <div data-testid={id}>
      <Card title={title}>
        <ErrorBox error={error} />
        {items && items.length === 0 ? (
          <p class="muted" data-state="empty">
            暂无记录
          </p>
        ) : null}
        {items && items.length > 0 ? (
          <ul class="list plain" data-state="rows">
            {items.map(render)}
          </ul>
        ) : null}
        {cursor ? (
          <button class="secondary wide" disabled={loading} onClick={() => void more(cursor)}>
            加载更多
          </button>
        ) : null}
      </Card>
    </div>
  );
}

/** GET /quota/statistics: the balance and where the quota went. */
function Statistics() {
  const [statistics, setStatistics] = useState<QuotaStatistics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.quotaStatistics().then(setStatistics, (failure: unknown) => setError(messageOf(failure)));
  }, []);
  const totals = statistics?.totals;
  return (
    <Card title="次数概览">
      <ErrorBox error={error} />
      {statistics && totals ? (
        <dl class="facts stats" data-testid="wallet-statistics">
          <dt>剩余</dt>
          <dd data-testid="balance">{statistics.balance} 次</dd>
          <dt>已购买</dt>
          <dd>{totals.granted} 次</dd>
          <dt>已使用</dt>
          <dd>{totals.used} 次</dd>
          <dt>进行中</dt>
          <dd>{totals.held} 次</dd>
          <dt>失败返还</dt>
          <dd>{totals.returned} 次</dd>
          <dt>到期清零</dt>
          <dd>{totals.expired} 次</dd>
          <dt>退款扣回</dt>
          <dd>{totals.refunded} 次</dd>
        </dl>
      ) : null}
    </Card>
  );
}

function LedgerLine(entry: LedgerEntry) {
  return (
    <li key={entry.id} data-testid="ledger-entry">
      <span>
        <b data-testid="ledger-note">{entry.note}</b>
        <small class="muted">
          {formatTime(entry.createdAt)} · 余额 {entry.balanceAfter}
        </small>
      </span>
      <em class={entry.delta < 0 ? 'minus' : entry.delta > 0 ? 'plus' : 'muted'} data-testid="ledger-delta">
        {signed(entry.delta)}
      </em>
    </li>
  );
}

function OrderLine(order: Order) {
  return (
    <li key={order.orderId} data-testid="order">
      <span>
        {order.orderId}
        <small class="muted">
          {channelName(order.channel)} · {formatTime(order.createdAt)}
        </small>
      </span>
      <em>
        ¥{(order.amount / 100).toFixed(2)} <span data-testid="order-status">{orderStatusName(order.status)}</span>
      </em>
    </li>
  );
}

/** The wallet: quota statistics, the quota ledger and the membership orders, newest first. */
export function WalletPage() {
  return (
    <main class="page" data-testid="wallet">
      <Statistics />
      <PagedList id="wallet-transactions" title="次数明细" load={(cursor) => api.quotaTransactions(cursor)} render={LedgerLine} />
      <PagedList id="wallet-orders" title="订单" load={(cursor) => api.membershipOrders(cursor)} render={OrderLine} />
    </main>
  );
}
