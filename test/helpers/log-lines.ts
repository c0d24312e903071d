import { afterEach, beforeEach } from 'vitest';
import { logger } from '../../shared/logger';

/**
 * Captures the structured log lines written to stdout while each test of the calling file runs
 * (at INFO; integration tests are otherwise silent). Call once at the top of a test file.
 */
export function captureLogLines(): () => Record<string, unknown>[] {
  let lines: Record<string, unknown>[] = [];
  const originalWrite = process.stdout.write.bind(process.stdout);

  beforeEach(() => {
    lines = [];
    logger.setLogLevel('INFO');
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      for (const line of String(chunk).split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
      return originalWrite(chunk, ...(rest as []));
    }) as typeof process.stdout.write;
  });

  afterEach(() => {
    process.stdout.write = originalWrite;
    logger.setLogLevel('SILENT');
  });

  return () => lines;
}
