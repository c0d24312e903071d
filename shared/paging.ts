import * as z from 'zod/mini';

/**
 * Keyset paging shared by the wallet lists (GET /quota/transactions, GET /membership/orders):
 * `limit` 1–100 (default 20) and an opaque `cursor`, the `nextCursor` of the page before. A cursor
 * is base64url of a short text only this API writes; anything else is refused with 1000 naming
 * `cursor`, never read as "from the start". GET /task/list has its own (shared/tasks/schemas.ts),
 * which keeps the contract's offset paging beside it.
 */
export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

export const pageLimit = z._default(
  z.coerce.number({ error: `limit must be an integer from 1 to ${PAGE_LIMIT_MAX}` }).check(
    z.refine((value) => Number.isInteger(value) && value >= 1 && value <= PAGE_LIMIT_MAX, `limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`),
  ),
  PAGE_LIMIT_DEFAULT,
);

export function encodeOpaque(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The text inside a cursor this API could have issued (canonical base64url), or undefined. */
export function decodeOpaque(value: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.toString('base64url') !== value) return undefined;
  return bytes.toString('utf8');
}

/** A `cursor` query parameter decoded by `decode`; one it cannot read answers 1000 naming `cursor`. */
export function cursorParam<T>(decode: (value: string) => T | undefined) {
  return z.pipe(
    z.string().check(z.refine((value) => decode(value) !== undefined, 'cursor is malformed: pass back nextCursor as received')),
    z.transform((value: string) => decode(value) as T),
  );
}

/** Ask for one row more than shown: its presence says a next page exists. */
export function pageOf<T>(rows: readonly T[], limit: number, cursorOf: (last: T) => string): { shown: T[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { shown, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
