import type { PoolConnection } from 'mysql2/promise';
import { execute, select, sqlFlag, type Queryable } from '../pool';
import type { Role } from './users';

/**
 * Rows of `refresh_tokens` (migration 014) and every statement on that table. The rules (rotation,
 * reuse detection, lifetimes) are in shared/auth/refresh.ts and docs/decisions/0015-refresh-tokens.md.
 * A token is stored only as its SHA-256. Every state change is one conditional statement, so of
 * concurrent refreshes with one token exactly one retires it.
 */
export interface RefreshTokenRow {
  /** BIGINT: mysql2 hands it back as a string (bigNumberStrings) or a number. */
  id: number | string;
  user_id: string;
  family_id: string;
  token_hash: Buffer;
  parent_id: number | string | null;
  token_version: number;
  created_at: Date;
  expires_at: Date;
  retired_at: Date | null;
  revoked_at: Date | null;
}

/** A token row as a refresh judges it: with the user's current version and role, and whether it has expired, on the database's clock. */
export interface PresentedRefreshToken {
  readonly id: RefreshTokenRow['id'];
  readonly userId: string;
  readonly familyId: string;
  readonly tokenVersion: number;
  readonly retired: boolean;
  readonly revoked: boolean;
  readonly expired: boolean;
  /** Undefined when the user is gone. */
  readonly user: { readonly tokenVersion: number; readonly role: Role } | undefined;
}

/** One statement: the row for a token hash, joined to its user. */
export async function findPresentedToken(tokenHash: Buffer, on?: Queryable): Promise<PresentedRefreshToken | undefined> {
  const [row] = await select<{
    id: RefreshTokenRow['id'];
    user_id: string;
    family_id: string;
    token_version: number | string;
    retired: number | string;
    revoked: number | string;
    expired: number | string;
    user_token_version: number | string | null;
    user_role: Role | null;
  }>(
    `SELECT r.id, r.user_id, r.family_id, r.token_version,
            r.retired_at IS NOT NULL AS retired, r.revoked_at IS NOT NULL AS revoked, r.expires_at <= UTC_TIMESTAMP(3) AS expired,
            u.token_version AS user_token_version, u.role AS user_role
       FROM refresh_tokens r LEFT JOIN users u ON u.id = r.user_id
      WHERE r.token_hash = ?`,
    [tokenHash],
    on,
  );
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    familyId: row.family_id,
    tokenVersion: Number(row.token_version),
    retired: sqlFlag(row.retired),
    revoked: sqlFlag(row.revoked),
    expired: sqlFlag(row.expired),
    user: row.user_token_version === null || row.user_role === null ? undefined : { tokenVersion: Number(row.user_token_version), role: row.user_role },
  };
}

export interface NewRefreshToken {
  readonly userId: string;
  readonly familyId: string;
  readonly tokenHash: Buffer;
  readonly parentId: RefreshTokenRow['id'] | null;
  readonly tokenVersion: number;
  readonly ttlDays: number;
}

/** Stores a token's hash, valid `ttlDays` on the database's clock. */
export async function insertRefreshToken(token: NewRefreshToken, on?: Queryable): Promise<void> {
  await execute(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, parent_id, token_version, expires_at)
     VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3) + INTERVAL ? DAY)`,
    [token.userId, token.familyId, token.tokenHash, token.parentId, token.tokenVersion, token.ttlDays],
    on,
  );
}

/**
 * Retires a token that is still usable, in one conditional statement: not retired, not revoked, not
 * expired, and issued under the user's current token version. Of concurrent callers with one token,
 * only one gets true (the row lock queues the others, which then see it retired).
 */
export async function retireUsableToken(connection: PoolConnection, id: RefreshTokenRow['id']): Promise<boolean> {
  const result = await execute(
    `UPDATE refresh_tokens r JOIN users u ON u.id = r.user_id
        SET r.retired_at = UTC_TIMESTAMP(3)
      WHERE r.id = ? AND r.retired_at IS NULL AND r.revoked_at IS NULL AND r.expires_at > UTC_TIMESTAMP(3) AND r.token_version = u.token_version`,
    [id],
    connection,
  );
  return result.affectedRows === 1;
}

/** Revokes every token of a family not revoked yet (reuse was detected); answers how many. */
export async function revokeFamily(familyId: string, on?: Queryable): Promise<number> {
  const result = await execute('UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP(3) WHERE family_id = ? AND revoked_at IS NULL', [familyId], on);
  return result.affectedRows;
}

/**
 * Deletes up to `limit` tokens that expired more than `afterHours` ago, oldest first; answers how
 * many. A reused token must still be found while it could be presented, and it cannot be once expired.
 */
export async function purgeExpiredRefreshTokens(afterHours: number, limit: number): Promise<number> {
  const result = await execute('DELETE FROM refresh_tokens WHERE expires_at < UTC_TIMESTAMP(3) - INTERVAL ? HOUR ORDER BY expires_at LIMIT ?', [afterHours, limit]);
  return result.affectedRows;
}
