/**
 * What one task costs, in quota units: the hold (shared/quota/ledger.ts hold) reserves this much and
 * a release gives it back (trigger tasks_settle_hold, migrations 009/010, returns +1). A module of its
 * own so the public abilities catalogue (shared/tasks/abilities.ts) shows the price without bundling
 * the database layer.
 */
export const QUOTA_PER_TASK = 1;
