import { describe, expect, it } from 'vitest';
import { OUTCOME_RESERVE_MS, vendorTimeoutMs, withDeadline, withinVendorTimeout } from '../../shared/deadline';

describe('invocation deadline', () => {
  it('leaves a vendor call its own timeout outside an invocation', () => {
    expect(vendorTimeoutMs(15_000)).toBe(15_000);
  });

  it('cuts a vendor call to what the invocation can still afford, keeping the reserve', async () => {
    const now = Date.now();

    const [cut, untouched, exhausted] = await withDeadline(now + 10_000, async () => [vendorTimeoutMs(15_000, now), vendorTimeoutMs(3_000, now), vendorTimeoutMs(15_000, now + 9_500)]);

    expect(cut).toBe(10_000 - OUTCOME_RESERVE_MS);
    expect(untouched).toBe(3_000);
    expect(exhausted).toBe(1);
  });

  it('follows the invocation across awaits, and each invocation has its own', async () => {
    const now = Date.now();
    const later = async (deadline: number) =>
      withDeadline(deadline, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return vendorTimeoutMs(60_000, now);
      });

    const [short, long] = await Promise.all([later(now + 5_000), later(now + 20_000)]);

    expect([short, long]).toEqual([5_000 - OUTCOME_RESERVE_MS, 20_000 - OUTCOME_RESERVE_MS]);
  });

  it('stops waiting for a client without abort signals at the deadline, with the given error', async () => {
    const never = new Promise<string>(() => undefined);

    const waited = withDeadline(Date.now() + OUTCOME_RESERVE_MS + 20, () => withinVendorTimeout(never, 30_000, () => new Error('too slow')));

    await expect(waited).rejects.toThrow('too slow');
  });
});
