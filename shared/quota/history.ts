import { assertSessionCurrent, type Session } from '../auth/session';
import { selectLedgerPage, type LedgerKind, type LedgerRow } from '../db/repositories/quota-ledger';
import { pageOf } from '../paging';
import { recordDueExpiry } from './membership';
import { encodeLedgerCursor, type TransactionsQuery } from './schemas';

/** One ledger entry as GET /quota/transactions shows it. */
export interface LedgerTransaction {
  /** The ledger entry's id, as text. */
  readonly id: string;
  readonly kind: LedgerKind;
  /** Quota added (+) or taken (−) by this entry; a confirm is 0 (its hold already took the unit). */
  readonly delta: number;
  /** The balance right after this entry: the previous entry's balanceAfter plus this delta. */
  readonly balanceAfter: number;
  /** The task id (hold, confirm, release), the order id (grant, refund), or the expiry's own key. */
  readonly reference: string;
  /** What the user reads. */
  readonly note: string;
  readonly createdAt: string;
}

/** The user-facing line of an entry; the stored `note` column is for operators, never shown. */
export function transactionNote(kind: LedgerKind, delta: number): string {
  switch (kind) {
    case 'grant':
      return `购买会员 +${delta}`;
    case 'hold':
      return '生成任务预扣';
    case 'confirm':
      return '任务完成扣除';
    case 'release':
      // 0: the task failed after the membership lapsed; the unit lapsed with it (migration 009).
      return delta > 0 ? '任务失败返还' : '任务失败,会员已到期未返还';
    case 'expire':
      return '会员到期清零';
    case 'refund':
      return '退款扣回';
  }
}

const toTransaction = (row: LedgerRow): LedgerTransaction => ({
  id: String(row.id),
  kind: row.kind,
  delta: row.delta,
  balanceAfter: row.balance_after,
  reference: row.reference,
  note: transactionNote(row.kind, row.delta),
  createdAt: row.created_at.toISOString(),
});

/**
 * GET /quota/transactions: one page of the caller's ledger, newest first, and the cursor of the
 * next page (null on the last). One statement, which also carries the session check; a lapsed
 * membership whose expiry is not recorded yet is recorded first and the page read again, so the
 * `expire` entry is never missing from the history.
 */
export async function listTransactions(session: Session, query: TransactionsQuery): Promise<{ items: LedgerTransaction[]; nextCursor: string | null }> {
  const read = () => selectLedgerPage({ userId: session.userId, limit: query.limit + 1, beforeId: query.cursor });
  let page = await read();
  assertSessionCurrent(page?.user, session);
  if (page && (await recordDueExpiry(session.userId, page.user))) page = await read();
  const { shown, nextCursor } = pageOf(page?.rows ?? [], query.limit, (last) => encodeLedgerCursor(last.id));
  return { items: shown.map(toTransaction), nextCursor };
}
