import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Card, ErrorBox, formatTime, messageOf } from './common';

type Row = Record<string, unknown>;

/** The first list in an answer ({transactions: […]}, {orders: […]}, {items: […]} or the array itself). */
function rowsOf(answer: unknown): Row[] {
  if (Array.isArray(answer)) return answer as Row[];
  if (answer && typeof answer === 'object') {
    const list = Object.values(answer).find(Array.isArray);
    if (list) return list as Row[];
  }
  return [];
}

const pick = (row: Row, names: string[]): unknown => names.map((name) => row[name]).find((value) => value !== undefined && value !== null);
const reasons: Record<string, string> = { purchase: '购买会员', grant: '购买会员', hold: '任务预扣', spend: '任务消耗', refund: '失败返还', release: '失败返还', expire: '到期清零' };
const orderStates: Record<string, string> = { pending: '待支付', paid: '已支付', closed: '已关闭', refunded: '已退款', failed: '支付失败' };

function Section({ id, title, load, render }: { id: string; title: string; load: () => Promise<unknown>; render: (row: Row) => JSX.Element }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    load().then(
      (answer) => (answer === null ? setMissing(true) : setRows(rowsOf(answer))),
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, []);
  return (
    <div data-testid={id}>
      <Card title={title}>
        <ErrorBox error={error} />
        {missing ? (
          <p class="muted" data-state="missing">
            该功能即将上线。
          </p>
        ) : null}
        {rows && rows.length === 0 ? (
          <p class="muted" data-state="empty">
            暂无记录
          </p>
        ) : null}
        {rows && rows.length > 0 ? (
          <ul class="list plain" data-state="rows">
            {rows.map(render)}
          </ul>
        ) : null}
      </Card>
    </div>
  );
}

/** Quota transactions and membership orders, when the API has them (they answer 404 until then). */
export function WalletPage() {
  return (
    <main class="page" data-testid="wallet">
      <Section
        id="wallet-transactions"
        title="次数明细"
        load={api.quotaTransactions}
        render={(row) => {
          const amount = Number(pick(row, ['delta', 'amount', 'change']) ?? 0);
          const reason = String(pick(row, ['reason', 'type', 'kind']) ?? '');
          return (
            <li key={String(pick(row, ['id', 'createdAt']))} data-testid="ledger-entry">
              <span>
                {reasons[reason] ?? reason}
                <small class="muted">{formatTime(pick(row, ['createdAt', 'created_at']) as string)}</small>
              </span>
              <em class={amount < 0 ? 'minus' : 'plus'}>{amount > 0 ? `+${amount}` : amount}</em>
            </li>
          );
        }}
      />
      <Section
        id="wallet-orders"
        title="订单"
        load={api.membershipOrders}
        render={(row) => {
          const fen = Number(pick(row, ['amount', 'amountFen', 'price', 'total']) ?? 0);
          const state = String(pick(row, ['status', 'state']) ?? '');
          return (
            <li key={String(pick(row, ['orderId', 'id']))} data-testid="order">
              <span>
                {String(pick(row, ['orderId', 'id']) ?? '')}
                <small class="muted">
                  {String(pick(row, ['channel']) ?? '') === 'alipay' ? '支付宝' : '微信支付'} · {formatTime(pick(row, ['createdAt', 'created_at']) as string)}
                </small>
              </span>
              <em>
                ¥{(fen / 100).toFixed(2)} {orderStates[state] ?? state}
              </em>
            </li>
          );
        }}
      />
    </main>
  );
}
