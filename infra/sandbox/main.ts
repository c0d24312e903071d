/**
 * CLI: `tsx infra/sandbox/main.ts` — SANDBOX_PORT (default 3100), SANDBOX_HOST, SANDBOX_VERBOSE=1,
 * SANDBOX_RUNNINGHUB_DELAY_MS (default 3000; read by the RunningHub module).
 */
import { DEFAULT_SANDBOX_HOST, DEFAULT_SANDBOX_PORT, startSandbox } from './server';

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SANDBOX_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SANDBOX_PORT must be an integer 0-65535, got "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: parsePort(process.env.SANDBOX_PORT),
    host: process.env.SANDBOX_HOST || DEFAULT_SANDBOX_HOST,
    verbose: process.env.SANDBOX_VERBOSE === '1',
  });
  console.log(`vendor sandbox listening on ${sandbox.url}`);

  const shutdown = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[sandbox] close failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('[sandbox] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
