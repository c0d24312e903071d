/**
 * Against DATABASE_URL (from the environment, or .env when present):
 * - `npm run admin -- grant <phone> [--token]` makes a user an admin;
 * - `npm run admin -- demote <phone>` takes the admin role back;
 * - `npm run admin -- revoke <phone>` ends every session of any user (a stolen token, say), refresh
 *   tokens included (each carries the token_version it was issued under; ADR 0015).
 *
 * All three bump the user's token_version, so every token issued before stops working at once: a
 * demoted admin is out immediately, and a new admin must log in again (POST /auth/login) to get a
 * token carrying the admin role — which lives ADMIN_JWT_TTL_SECONDS, shorter than a user token.
 * `grant` creates the user when the phone has never logged in, so an admin can be set up first.
 *
 * `--token` also prints a fresh admin token on stdout (and nothing else there), for scripted use.
 * Off by default: a bearer token in a terminal or CI log is a credential. It is signed with
 * JWT_SECRET from the environment; without one it is signed with the local default and only the
 * local stack will accept it (a warning says so).
 */
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');

const { phoneSchema } = await import('../shared/auth/schemas');
const { issueToken } = await import('../shared/auth/jwt');
const { closeDb } = await import('../shared/db/pool');
const { findOrCreateUserByPhone, findUserByPhone } = await import('../shared/users');
const { revokeTokens, setRoleRevokingTokens } = await import('../shared/db/repositories/users');
const z = await import('zod/mini');

const usage = 'usage: npm run admin -- grant <phone> [--token] | npm run admin -- demote <phone> | npm run admin -- revoke <phone>';

type Command = { action: 'grant' | 'demote' | 'revoke'; phone: string; printToken: boolean };
const isAction = (word: string | undefined): word is Command['action'] => word === 'grant' || word === 'demote' || word === 'revoke';

function parseArgs(argv: readonly string[]): Command {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const words = argv.filter((arg) => !arg.startsWith('--'));
  const [action, phone, ...rest] = words;
  const unknownFlags = flags.filter((flag) => flag !== '--token');
  if (!isAction(action) || phone === undefined || rest.length > 0 || unknownFlags.length > 0) throw new Error(usage);
  if (action !== 'grant' && flags.includes('--token')) throw new Error(`--token only goes with grant\n${usage}`);
  const parsed = z.safeParse(phoneSchema, phone);
  if (!parsed.success) throw new Error(`not a mainland mobile number: ${phone}`);
  return { action, phone: parsed.data, printToken: flags.includes('--token') };
}

async function main(): Promise<void> {
  const command = parseArgs(process.argv.slice(2));
  const database = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/aiphoto');
  const target = `${database.host}${database.pathname}`;

  if (command.action !== 'grant') {
    const user = await findUserByPhone(command.phone);
    if (!user) throw new Error(`no user with phone ${command.phone} in ${target}`);
    if (command.action === 'revoke') {
      await revokeTokens(user.id);
      console.log(`${target}: every session of user ${user.id} has ended; they log in again`);
      return;
    }
    const changed = await setRoleRevokingTokens(user.id, 'user');
    console.log(changed ? `${target}: user ${user.id} is no longer an admin; its tokens are revoked` : `${target}: user ${user.id} was not an admin; nothing changed`);
    return;
  }

  const user = await findOrCreateUserByPhone(command.phone);
  const changed = await setRoleRevokingTokens(user.id, 'admin');
  // Progress goes to stderr so that with --token, stdout holds exactly the token.
  console.error(changed ? `${target}: user ${user.id} is now an admin; earlier tokens are revoked, log in again` : `${target}: user ${user.id} is already an admin; nothing changed`);
  if (command.printToken) {
    if (!process.env.JWT_SECRET) console.error('warning: JWT_SECRET is not set; the token is signed with the local default secret and only a local stack accepts it');
    const current = await findUserByPhone(command.phone);
    if (!current) throw new Error('user vanished after grant');
    console.log(await issueToken({ userId: current.id, tokenVersion: current.token_version, role: current.role }));
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
}
