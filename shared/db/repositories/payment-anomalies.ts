import { execute, select, type Queryable } from '../pool';
import type { OrderChannel } from './orders';

/**
 * Rows of `payment_anomalies` (migration 011) and every statement on that table: what a payment
 * platform verifiably reported that can never be credited (shared/payments/settlement.ts decides
 * that). One row per (channel, out_trade_no, reason, source): a platform's re-deliveries of the same
 * fact add to `occurrences`. Times are written with UTC_TIMESTAMP(3), whatever the session's time zone.
 */
export type PaymentAnomalySource = 'notification' | 'query';

export interface PaymentAnomalyRow {
  id: number;
  channel: OrderChannel;
  order_id: string | null;
  out_trade_no: string;
  platform_trade_no: string | null;
  reason: string;
  source: PaymentAnomalySource;
  platform_state: string | null;
  reported_amount_fen: number | null;
  reported_currency: string | null;
  reported_app_id: string | null;
  reported_merchant_id: string | null;
  occurrences: number;
  created_at: Date;
  last_seen_at: Date;
}

/** BIGINT columns arrive as strings (supportBigNumbers + bigNumberStrings); amounts and ids fit a double. */
type RawPaymentAnomalyRow = Omit<PaymentAnomalyRow, 'id' | 'reported_amount_fen' | 'occurrences'> & {
  id: number | string;
  reported_amount_fen: number | string | null;
  occurrences: number | string;
};

const anomalyColumns =
  'id, channel, order_id, out_trade_no, platform_trade_no, reason, source, platform_state, reported_amount_fen, reported_currency, reported_app_id, reported_merchant_id, occurrences, created_at, last_seen_at';

const toAnomalyRow = (row: RawPaymentAnomalyRow): PaymentAnomalyRow => ({
  ...row,
  id: Number(row.id),
  reported_amount_fen: row.reported_amount_fen === null ? null : Number(row.reported_amount_fen),
  occurrences: Number(row.occurrences),
});

export interface NewPaymentAnomaly {
  readonly channel: OrderChannel;
  readonly orderId: string | null;
  readonly outTradeNo: string;
  readonly platformTradeNo: string | null;
  readonly reason: string;
  readonly source: PaymentAnomalySource;
  readonly platformState: string | null;
  readonly reportedAmountFen: number | null;
  readonly reportedCurrency: string | null;
  readonly reportedAppId: string | null;
  readonly reportedMerchantId: string | null;
}

/** Fits a platform's value into its column (the values are verified, their lengths are not ours to trust). */
const fit = (value: string | null, length: number): string | null => (value === null ? null : value.slice(0, length));

/**
 * Records the fact once: 'recorded' when this call wrote the row, 'repeated' when the same fact was
 * already there (its occurrences and last_seen_at move instead). One statement, safe under
 * concurrent deliveries: the unique key decides.
 */
export async function recordPaymentAnomaly(anomaly: NewPaymentAnomaly, on?: Queryable): Promise<'recorded' | 'repeated'> {
  const result = await execute(
    `INSERT INTO payment_anomalies
         (channel, order_id, out_trade_no, platform_trade_no, reason, source, platform_state,
          reported_amount_fen, reported_currency, reported_app_id, reported_merchant_id, created_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE occurrences = occurrences + 1, last_seen_at = UTC_TIMESTAMP(3)`,
    [
      anomaly.channel,
      fit(anomaly.orderId, 32),
      fit(anomaly.outTradeNo, 64),
      fit(anomaly.platformTradeNo, 64),
      fit(anomaly.reason, 64),
      anomaly.source,
      fit(anomaly.platformState, 32),
      anomaly.reportedAmountFen === null || !Number.isSafeInteger(anomaly.reportedAmountFen) ? null : anomaly.reportedAmountFen,
      fit(anomaly.reportedCurrency, 16),
      fit(anomaly.reportedAppId, 64),
      fit(anomaly.reportedMerchantId, 64),
    ],
    on,
  );
  // ON DUPLICATE KEY UPDATE reports 1 for an inserted row and 2 for an updated one.
  return result.affectedRows === 1 ? 'recorded' : 'repeated';
}

/** Anomalies first recorded since `since`, newest first (idx_payment_anomalies_created), and their count: two statements. */
export async function listPaymentAnomaliesSince(since: Date, limit: number, offset: number, on?: Queryable): Promise<{ rows: PaymentAnomalyRow[]; total: number }> {
  const rows = await select<RawPaymentAnomalyRow>(
    `SELECT ${anomalyColumns} FROM payment_anomalies WHERE created_at >= ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [since, limit, offset],
    on,
  );
  const [count] = await select<{ total: number | string }>('SELECT COUNT(*) AS total FROM payment_anomalies WHERE created_at >= ?', [since], on);
  return { rows: rows.map(toAnomalyRow), total: Number(count?.total ?? 0) };
}

/** Every anomaly recorded about one out_trade_no, oldest first (support, tests). */
export async function paymentAnomaliesOf(outTradeNo: string, on?: Queryable): Promise<PaymentAnomalyRow[]> {
  const rows = await select<RawPaymentAnomalyRow>(`SELECT ${anomalyColumns} FROM payment_anomalies WHERE out_trade_no = ? ORDER BY id`, [outTradeNo], on);
  return rows.map(toAnomalyRow);
}
