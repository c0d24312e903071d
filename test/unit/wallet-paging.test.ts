import { describe, expect, it } from 'vitest';
import { decodeOrderCursor, encodeOrderCursor } from '../../shared/payments/order-list';
import { transactionNote } from '../../shared/quota/history';
import { decodeLedgerCursor, encodeLedgerCursor } from '../../shared/quota/schemas';
import { recentMonths } from '../../shared/quota/statistics';

/** The wallet's pure parts: cursors, notes, the 12-month window. */
describe('wallet cursors', () => {
  it('a ledger cursor round-trips and is opaque', () => {
    // Arrange
    const cursor = encodeLedgerCursor(9_007_199_254_740_991);

    // Act
    const decoded = decodeLedgerCursor(cursor);

    // Assert
    expect(decoded).toBe(9_007_199_254_740_991);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('9007');
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/'],
    ['padded', `${encodeLedgerCursor(12)}=`],
    ['id 0', Buffer.from('ledger:0').toString('base64url')],
    ['a leading zero', Buffer.from('ledger:012').toString('base64url')],
    ['beyond a safe integer', Buffer.from('ledger:9007199254740993').toString('base64url')],
    ['another prefix', Buffer.from('order:12').toString('base64url')],
  ])('refuses a ledger cursor that is %s', (_label, value) => {
    expect(decodeLedgerCursor(value)).toBeUndefined();
  });

  it('an order cursor round-trips; a malformed one is refused', () => {
    // Arrange
    const order = { created_at: new Date('2026-03-01T10:00:00.123Z'), id: 'order_0123456789abcdef01234567' };

    // Act
    const decoded = decodeOrderCursor(encodeOrderCursor(order));

    // Assert
    expect(decoded).toEqual({ createdAt: order.created_at, id: order.id });
    expect(decodeOrderCursor(Buffer.from('1700000000000:').toString('base64url'))).toBeUndefined();
    expect(decodeOrderCursor(Buffer.from('999999999999999:order_x').toString('base64url'))).toBeUndefined();
    expect(decodeOrderCursor(encodeLedgerCursor(5))).toBeUndefined();
  });
});

describe('wallet notes and months', () => {
  it.each([
    ['grant', 100, '购买会员 +100'],
    ['hold', -1, '生成任务预扣'],
    ['confirm', 0, '任务完成扣除'],
    ['release', 1, '任务失败返还'],
    ['release', 0, '任务失败,会员已到期未返还'],
    ['expire', -37, '会员到期清零'],
    ['refund', -60, '退款扣回'],
  ] as const)('%s %i reads “%s”', (kind, delta, note) => {
    expect(transactionNote(kind, delta)).toBe(note);
  });

  it('the last 12 months cross a year boundary, oldest first, starting at the first month’s first instant (UTC)', () => {
    // Act
    const { since, months } = recentMonths(new Date('2026-01-31T23:59:59.999Z'));

    // Assert
    expect(months).toEqual(['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01']);
    expect(since.toISOString()).toBe('2025-02-01T00:00:00.000Z');
  });
});
