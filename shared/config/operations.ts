import * as z from 'zod/mini';
import { int, optionalText, setting, text } from './define';

/**
 * Node.js runtime strings the SCF deployer accepts, newest first. `Nodejs20.19` is the string
 * Tencent's own CloudBase tooling passes to SCF (TencentCloudBase/CloudBase-AI-Toolkit
 * mcp/src/tools/functions.ts); the SCF SDK's CreateFunction documentation stops at `Nodejs18.15`.
 * Older SCF runtimes exist but have no global fetch, which the vendor clients use.
 */
export const scfNodeRuntimes = ['Nodejs20.19', 'Nodejs18.15'] as const;

/**
 * Settings of the operations area: the timer sweeper, and the Tencent SCF deployer
 * (infra/tencent/deploy.ts). The TENCENT_SCF_* settings are read by the deployer on the machine that
 * deploys; functions never read them, and the deployer never copies them into a function's environment.
 */
export const operationsSettings = {
  SWEEP_BATCH_SIZE: setting(int(200, 1), 'Rows the sweeper takes per batch (tasks, orders, memberships, purges); each batch is one short transaction'),
  SWEEP_CONCURRENCY: setting(int(2, 1), 'Batches of overdue tasks one sweeper run settles at once, each on its own database connection (keep ≤ DB_POOL_SIZE)'),
  SWEEP_TIME_BUDGET_MS: setting(
    int(45_000, 1_000),
    'Longest a sweeper run works (ms); it also stops 3 s before the platform’s own time limit. Work left over goes to the next run',
  ),
  PURGE_AFTER_HOURS: setting(int(24, 1), 'Expired login codes and refresh tokens are deleted this many hours after they expire (rate-limit rows as soon as their window ends)'),

  TENCENT_SCF_REGION: setting(optionalText(), 'Deploy: SCF region; unset means TENCENT_REGION', { scope: 'deploy' }),
  TENCENT_SCF_NAMESPACE: setting(text('default'), 'Deploy: SCF namespace the functions live in', { scope: 'deploy' }),
  TENCENT_SCF_FUNCTION_PREFIX: setting(
    z._default(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_-]{0,30}$/, 'letters, digits, - and _, starting with a letter')), 'ai-photo-'),
    'Deploy: prefix of every SCF function name (prefix + route name, e.g. ai-photo-auth-login)', { scope: 'deploy' }),
  TENCENT_SCF_RUNTIME: setting(
    z._default(z.enum(scfNodeRuntimes, { error: `must be one of ${scfNodeRuntimes.join(', ')} (the SCF runtimes this code runs on)` }), 'Nodejs20.19'),
    `Deploy: SCF runtime of new functions, one of ${scfNodeRuntimes.join(', ')}; fixed once a function exists (README: how to confirm it in the console)`, { scope: 'deploy' }),
  TENCENT_SCF_MEMORY_MB: setting(int(256, 64), 'Deploy: memory of each HTTP function (MB; 64, or 128–3072 in steps of 128)', { scope: 'deploy' }),
  TENCENT_SCF_ROLE: setting(optionalText(), 'Deploy: execution role bound to the functions (optional; the code uses API keys, not the role)', { scope: 'deploy' }),
  TENCENT_SCF_CUSTOM_DOMAIN: setting(optionalText(), 'Deploy: host that serves the whole API through SCF custom-domain path routes, e.g. api.example.com (unset: Function URLs only)', { scope: 'deploy' }),
  TENCENT_SCF_DOMAIN_PROTOCOL: setting(z._default(z.enum(['HTTP', 'HTTPS', 'HTTP&HTTPS']), 'HTTPS'), 'Deploy: protocol of the custom domain', { scope: 'deploy' }),
  TENCENT_SCF_CERTIFICATE_ID: setting(optionalText(), 'Deploy: SSL certificate id (Tencent SSL console) for an HTTPS custom domain', { scope: 'deploy' }),
  TENCENT_SCF_CODE_BUCKET: setting(
    z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*-\d{5,20}$/, 'must look like <name>-<appid>'))),
    'Deploy: COS bucket `<name>-<appid>` in the SCF region for zips over the inline upload limit (the deploy key needs cos:PutObject on it); unset: such a zip stops the plan',
    { scope: 'deploy' },
  ),
  TENCENT_SCF_API_ENDPOINT: setting(optionalText(), 'Deploy: override for the SCF API host; unset for the real cloud', { scope: 'deploy' }),
  TENCENT_SCF_DEPLOY_SECRET_ID: setting(optionalText(), 'Deploy: SecretId allowed to manage SCF; unset means TENCENT_SECRET_ID (keep the runtime key without SCF rights)', { scope: 'deploy' }),
  TENCENT_SCF_DEPLOY_SECRET_KEY: setting(optionalText(), 'Deploy: SecretKey for TENCENT_SCF_DEPLOY_SECRET_ID', { scope: 'deploy' }),
};
