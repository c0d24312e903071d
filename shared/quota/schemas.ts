import * as z from 'zod/mini';
import { cursorParam, decodeOpaque, encodeOpaque, pageLimit } from '../paging';

/**
 * GET /quota/transactions' query. The cursor is the last listed entry's ledger id (opaque to
 * clients: base64url of `ledger:<id>`); ids only grow, so the next page is every smaller id.
 */
export function encodeLedgerCursor(id: number): string {
  return encodeOpaque(`ledger:${id}`);
}

export function decodeLedgerCursor(value: string): number | undefined {
  const match = /^ledger:([1-9]\d{0,15})$/.exec(decodeOpaque(value) ?? '');
  const id = Number(match?.[1]);
  return match && Number.isSafeInteger(id) ? id : undefined;
}

export const transactionsQuery = z.object({
  limit: pageLimit,
  cursor: z.optional(cursorParam(decodeLedgerCursor)),
});
export type TransactionsQuery = z.infer<typeof transactionsQuery>;
