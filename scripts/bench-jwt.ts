/**
 * JWT verification micro-benchmark: µs per verify for the way we verified before (jose's
 * jwtVerify with the secret as a Uint8Array, so a WebCrypto key is imported on every call), the
 * options of docs/decisions/0006-jwt-verification.md, and the shipped verifyToken, all in one
 * process, batches interleaved so machine drift hits every row alike. Each option runs twice: the
 * same token over and over (a warm instance serving one user) and a token never seen before on
 * every call (every call a different user). Every option performs the same checks, the role's
 * maximum age included. Rewrites only the jwt section of docs/benchmarks.md.
 *
 *   npm run bench:jwt                                   # 200 batches of 50 verifies per row
 *   tsx scripts/bench-jwt.ts --runs 400
 *   tsx scripts/bench-jwt.ts --libraries /tmp/jwt-libs  # also fast-jwt and jsonwebtoken, when
 *                                                       # installed there (npm i fast-jwt jsonwebtoken);
 *                                                       # they are not dependencies of this project
 */
import { createHmac, createSecretKey, timingSafeEqual, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { jwtVerify, type JWTPayload } from 'jose';
import { measuredOn, parseRuns, quantile, sectionMarkers, writeBenchSection } from './bench-lib';

const { start: startMarker, end: endMarker } = sectionMarkers('jwt');
const batchSize = 50;
const warmupBatches = 20;
const budgetMicros = 25;

const argv = process.argv.slice(2);
const runs = parseRuns(argv, 200, 20);
const librariesFlag = argv.indexOf('--libraries');
const librariesDir = librariesFlag >= 0 ? argv[librariesFlag + 1] : process.env.BENCH_JWT_LIBRARIES;

// Configuration is read once, on first use: settle the environment before importing the API.
Object.assign(process.env, { APP_ENV: 'test', LOG_LEVEL: 'SILENT' });
const { issueToken, tokenLifetimeSeconds, verifyToken, verifyTokenAt } = await import('../shared/auth/jwt');
const { config } = await import('../shared/config');
const { UnauthorizedError } = await import('../shared/errors');
type TokenClaims = Awaited<ReturnType<typeof verifyToken>>;
type CryptoKey = webcrypto.CryptoKey;

const settings = config();
const secretBytes = new TextEncoder().encode(settings.JWT_SECRET);
const joseOptions = {
  algorithms: ['HS256'],
  issuer: settings.JWT_ISSUER,
  audience: settings.JWT_AUDIENCE,
  requiredClaims: ['exp', 'iat', 'sub', 'ver'],
  clockTolerance: settings.JWT_CLOCK_TOLERANCE_SECONDS,
  // The longer lifetime here; the role's own lifetime is checked on the claims below.
  maxTokenAge: Math.max(tokenLifetimeSeconds('user'), tokenLifetimeSeconds('admin')),
};

/** The claim checks jose does not do for us: sub, ver, role, and the role's maximum age. */
function claimsOf(payload: JWTPayload): TokenClaims {
  const { sub, ver, role, exp, iat } = payload;
  if (typeof sub !== 'string' || !Number.isInteger(ver) || (role !== 'user' && role !== 'admin')) throw new UnauthorizedError();
  const lifetime = tokenLifetimeSeconds(role) + settings.JWT_CLOCK_TOLERANCE_SECONDS;
  const now = Math.floor(Date.now() / 1000);
  if (exp === undefined || iat === undefined || exp - iat > lifetime || now - iat > lifetime) throw new UnauthorizedError();
  return { userId: sub, tokenVersion: ver as number, role };
}

const joseWith = (key: Uint8Array | CryptoKey | ReturnType<typeof createSecretKey>) => async (token: string) => {
  try {
    return claimsOf((await jwtVerify(token, key, joseOptions)).payload);
  } catch {
    throw new UnauthorizedError();
  }
};

/** Option (c), in-repo: jose with the cached key, and a map of tokens already verified. */
function joseWithVerifiedCache(key: CryptoKey): (token: string) => Promise<TokenClaims> {
  const verifyUncached = joseWith(key);
  const cache = new Map<string, { claims: TokenClaims; exp: number }>();
  return async (token) => {
    const hit = cache.get(token);
    if (hit && hit.exp > Date.now() / 1000 - settings.JWT_CLOCK_TOLERANCE_SECONDS) return hit.claims;
    const claims = await verifyUncached(token);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number };
    if (cache.size >= 10_000) cache.clear();
    cache.set(token, { claims, exp });
    return claims;
  };
}

interface Option {
  label: string;
  note: string;
  verify: (token: string) => unknown;
  /** A bare primitive, no checks: the floor under the options built on it. */
  primitive?: boolean;
  same: number[];
  distinct: number[];
}

const options: Option[] = [];
const option = (label: string, note: string, verify: (token: string) => unknown, primitive = false) =>
  options.push({ label, note, verify, primitive, same: [], distinct: [] });

const cryptoKey = await webcrypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
option('before: jose, key as Uint8Array', '`jwtVerify(token, Uint8Array)` as shipped until now: imports a WebCrypto key on every call', joseWith(secretBytes));
option('(a) jose, CryptoKey imported once', '`crypto.subtle.importKey` once, then `jwtVerify`; WebCrypto HMAC verify is asynchronous', joseWith(cryptoKey));
option('(a) jose, KeyObject (createSecretKey)', '`createSecretKey` once; jose 6 exports a secret KeyObject back to bytes on every call and imports those, as for a Uint8Array', joseWith(createSecretKey(secretBytes)));
option('(c) jose, CryptoKey + verified-token cache', 'a map of tokens already verified (exp rechecked on a hit); a miss costs (a)', joseWithVerifiedCache(cryptoKey));

// Optional third-party rows (option c): only where they are installed, never imported by the API.
const libraries: string[] = [];
if (librariesDir) {
  const requireFrom = createRequire(path.join(path.resolve(librariesDir), 'package.json'));
  const version = (name: string): string =>
    (JSON.parse(readFileSync(path.join(path.resolve(librariesDir), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const toleranceSeconds = settings.JWT_CLOCK_TOLERANCE_SECONDS;
  try {
    const { createVerifier } = requireFrom('fast-jwt') as { createVerifier: (options: Record<string, unknown>) => (token: string) => JWTPayload };
    const common = {
      key: settings.JWT_SECRET,
      algorithms: ['HS256'],
      allowedIss: settings.JWT_ISSUER,
      allowedAud: settings.JWT_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub', 'ver'],
      clockTolerance: toleranceSeconds * 1000,
    };
    const plain = createVerifier({ ...common, cache: false });
    const cached = createVerifier({ ...common, cache: true });
    option(`(c) fast-jwt ${version('fast-jwt')}, no cache`, '`createVerifier` (node:crypto HMAC, synchronous)', (token) => claimsOf(plain(token)));
    option(`(c) fast-jwt ${version('fast-jwt')}, its cache`, 'the same with its built-in LRU of verified tokens', (token) => claimsOf(cached(token)));
    libraries.push(`fast-jwt ${version('fast-jwt')}`);
  } catch (error) {
    console.warn(`fast-jwt not measured: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    const jwt = requireFrom('jsonwebtoken') as { verify: (token: string, key: unknown, options: Record<string, unknown>) => JWTPayload };
    const keyObject = createSecretKey(secretBytes);
    const jwtOptions = { algorithms: ['HS256'], issuer: settings.JWT_ISSUER, audience: settings.JWT_AUDIENCE, clockTolerance: toleranceSeconds };
    option(`(c) jsonwebtoken ${version('jsonwebtoken')}`, '`jwt.verify` (node:crypto HMAC, synchronous)', (token) => claimsOf(jwt.verify(token, keyObject, jwtOptions)));
    libraries.push(`jsonwebtoken ${version('jsonwebtoken')}`);
  } catch (error) {
    console.warn(`jsonwebtoken not measured: ${(error as Error).message.split('\n')[0]}`);
  }
}

option('(b) hand-written, sync core (`verifyTokenAt`)', '`createHmac` (KeyObject built once) + `timingSafeEqual`, header and claims checked by hand', (token) => verifyTokenAt(token));
option('**shipped `verifyToken`** (= b, async)', 'what every request calls: (b) behind the async signature', verifyToken);

// The primitives under the options: one HMAC-SHA256 check of the token's signature, nothing else.
const signingInput = (token: string) => token.slice(0, token.lastIndexOf('.'));
const signatureOf = (token: string) => Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
const hmacKey = createSecretKey(secretBytes);
option('primitive: WebCrypto HMAC verify', '`crypto.subtle.verify` with the cached CryptoKey, no parsing, no claims: the floor of (a)', (token) =>
  webcrypto.subtle.verify('HMAC', cryptoKey, signatureOf(token), Buffer.from(signingInput(token))), true);
option('primitive: node:crypto HMAC', '`createHmac` + `timingSafeEqual`, no parsing, no claims: the floor of (b)', (token) =>
  timingSafeEqual(createHmac('sha256', hmacKey).update(signingInput(token)).digest(), signatureOf(token)), true);

const loadAtStart = os.loadavg()[0] ?? 0;

// ------------------------------------------------------------------------------------------------
// Tokens: one for the same-token rows, and for the distinct rows a fresh token for every call of
// every option (so no cache, ours or a library's, ever sees a token twice).

const sameToken = await issueToken({ userId: '100000000001', tokenVersion: 2, role: 'user' });
const callsPerOption = (warmupBatches + runs) * batchSize;
const distinctTokens: string[] = [];
for (let index = 0; index < callsPerOption; index += 1) {
  distinctTokens.push(await issueToken({ userId: String(200_000_000_000 + index), tokenVersion: index % 7, role: index % 10 === 0 ? 'admin' : 'user' }));
}

// Every option must accept both kinds of token and refuse a forged one before it is timed.
const forged = `${sameToken.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
for (const candidate of options.filter((each) => !each.primitive)) {
  const accepted = (await candidate.verify(sameToken)) as TokenClaims;
  const acceptedDistinct = (await candidate.verify(distinctTokens[0] ?? '')) as TokenClaims;
  if (accepted.userId !== '100000000001' || acceptedDistinct.role !== 'admin') throw new Error(`${candidate.label}: wrong claims`);
  const refused = await Promise.resolve()
    .then(() => candidate.verify(forged))
    .then(() => false, () => true);
  if (!refused) throw new Error(`${candidate.label}: accepted a forged token`);
}

async function timeBatch(verify: (token: string) => unknown, tokens: (index: number) => string): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < batchSize; index += 1) await verify(tokens(index));
  return ((performance.now() - started) * 1000) / batchSize;
}

let distinctCursor = 0;
for (let batch = 0; batch < warmupBatches + runs; batch += 1) {
  const offset = distinctCursor;
  distinctCursor += batchSize;
  // Alternate which kind goes first, and the order of the options, so no row always follows the same one.
  const order = batch % 2 === 0 ? options : [...options].reverse();
  for (const candidate of order) {
    const sameFirst = batch % 4 < 2;
    const first = sameFirst ? await timeBatch(candidate.verify, () => sameToken) : await timeBatch(candidate.verify, (index) => distinctTokens[offset + index] ?? '');
    const second = sameFirst ? await timeBatch(candidate.verify, (index) => distinctTokens[offset + index] ?? '') : await timeBatch(candidate.verify, () => sameToken);
    const [same, distinct] = sameFirst ? [first, second] : [second, first];
    if (batch < warmupBatches) continue;
    candidate.same.push(same);
    candidate.distinct.push(distinct);
  }
}

// ------------------------------------------------------------------------------------------------

const fmt = (value: number) => value.toFixed(1);
const lines = [
  startMarker,
  '## JWT verification: µs per verify',
  '',
  `${measuredOn()}, 1-minute load average ${loadAtStart.toFixed(1)} at the start; ${runs} batches of ${batchSize} verifies per cell after ${warmupBatches} warm-up batches, ` +
    `options interleaved batch by batch, \`npm run bench:jwt\` (scripts/bench-jwt.ts)` +
    (libraries.length > 0 ? `, with ${libraries.join(' and ')} installed outside the project (\`--libraries\`).` : '.'),
  '',
  `| verifier | same token median | p90 | distinct tokens median | p90 | ≤ ${budgetMicros} µs | what it is |`,
  '|---|---:|---:|---:|---:|:---:|---|',
  ...options.map((candidate) => {
    const sameMedian = quantile(candidate.same, 0.5);
    const distinctMedian = quantile(candidate.distinct, 0.5);
    const within = candidate.primitive ? '–' : Math.max(sameMedian, distinctMedian) <= budgetMicros ? '✓' : '✗';
    return `| ${candidate.label} | ${fmt(sameMedian)} | ${fmt(quantile(candidate.same, 0.9))} | ${fmt(distinctMedian)} | ${fmt(quantile(candidate.distinct, 0.9))} | ${within} | ${candidate.note} |`;
  }),
  '',
  'µs per verify = batch time / batch size, median and p90 over the batches; each call awaited, as the API does. ' +
    '*Same token*: one token verified again and again (one user on a warm instance). *Distinct tokens*: every call a ' +
    'token minted by `issueToken` and never verified before (different users; each option gets the whole list once). ' +
    'Every row but the two primitives does every check (HS256 pinned, signature, iss, aud, exp and iat required, sub, integer ver, role, ' +
    `${settings.JWT_CLOCK_TOLERANCE_SECONDS} s tolerance, the role’s maximum age); each ` +
    'was checked to accept both kinds of token and refuse a forged one ' +
    `before timing. Budget: ≤ ${budgetMicros} µs for both columns. Choice and reasons: docs/decisions/0006-jwt-verification.md.`,
  endMarker,
];
const section = lines.join('\n');
console.log(section);
await writeBenchSection('jwt', section);
