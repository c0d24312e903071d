import * as z from 'zod/mini';
import { isoDateTime } from '../responses';

/** Success `data` of the auth routes (contract §1–3), for the OpenAPI document only (see shared/http/responses.ts). */

/** The user as the contract shows it (shared/users.ts toPublicUser). */
export const publicUser = z.object({
  id: z.string(),
  phone: z.string(),
  isMember: z.boolean(),
  /** 0 unless a member. */
  quota_remaining: z.int().check(z.gte(0)),
  /** When the membership ends (or ended); null if never a member. */
  quota_expireAt: z.nullable(isoDateTime),
  createdAt: isoDateTime,
});

export const sendCodeData = z.object({
  /** Seconds the code stays valid. */
  expireIn: z.int().check(z.gt(0)),
});

/** 43 base64url characters (shared/auth/refresh.ts): POST /auth/refresh takes it. */
const refreshToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/));

/** `refreshToken` is an extension (docs/decisions/0015-refresh-tokens.md). */
export const loginData = z.object({ token: z.string(), user: publicUser, refreshToken });

/** Extension: POST /auth/refresh — a new access token and the next refresh token (the presented one is retired). */
export const refreshData = z.object({ token: z.string(), refreshToken });

/** Extension (issue 11): every token issued so far stops working. */
export const logoutData = z.object({ loggedOut: z.literal(true) });

/** Extension: GET /auth/wechat/openid. */
export const openidData = z.object({ openid: z.string() });
