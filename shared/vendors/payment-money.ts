/**
 * Money is integer fen everywhere. Alipay writes yuan as a decimal string ("99.00"); it is parsed
 * as text, never through a float, so "99.00" is exactly 9900 and "99.001" is rejected.
 */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError('amount must be a non-negative integer of fen');
  const yuan = Math.floor(fen / 100);
  return `${yuan}.${String(fen % 100).padStart(2, '0')}`;
}

/** "99.00" → 9900, "99.5" → 9950, "99" → 9900; undefined for anything that is not a plain amount. */
export function yuanToFen(value: string): number | undefined {
  const match = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + cents;
}
