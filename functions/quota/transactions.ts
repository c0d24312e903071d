import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { listTransactions } from '../../shared/quota/history';
import { transactionsQuery } from '../../shared/quota/schemas';

/** GET /quota/transactions?limit&cursor — the caller's quota ledger, newest first (one statement). */
export const { handler, main_handler } = defineEndpoint({
  route: 'quota-transactions',
  auth: 'session',
  query: transactionsQuery,
  async run({ caller, query }) {
    return ok(await listTransactions(caller, query));
  },
});
