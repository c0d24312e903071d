-- Refresh tokens (docs/decisions/0015-refresh-tokens.md): an extension beside the contract's access
-- `token`. Only the SHA-256 of a token is stored. A login starts a family; each refresh retires the
-- presented row and inserts its child (parent_id) in the same family. A token works while it is
-- neither retired nor revoked, has not expired, and its token_version still equals the user's
-- (logout, `npm run admin -- revoke|grant|demote` bump the user's version, ending every family at once).
-- All DATETIME columns hold UTC.
CREATE TABLE refresh_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id CHAR(12) NOT NULL,
  -- 24 hex characters, random, shared by every token descending from one login.
  family_id CHAR(24) NOT NULL,
  token_hash BINARY(32) NOT NULL,
  -- The token this one replaced (NULL for the one a login issued).
  parent_id BIGINT UNSIGNED NULL,
  -- users.token_version when the family began; a later bump ends the family.
  token_version INT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  expires_at DATETIME(3) NOT NULL,
  -- Set once, when the token was exchanged for its child; presenting it again is reuse.
  retired_at DATETIME(3) NULL,
  -- Set on every token of the family when reuse was detected.
  revoked_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_refresh_tokens_hash (token_hash),
  KEY idx_refresh_tokens_family (family_id),
  KEY idx_refresh_tokens_user (user_id),
  KEY idx_refresh_tokens_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
