import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run dev` serves the built H5 app (app/dist) from the local gateway. It builds it on start when
 * dist is missing or older than any source file, or was built for another API base, so
 * `npm ci && npm run dev` stays two commands. The build goes to a private directory first and is
 * renamed into place: two stacks starting at once (tests) never serve a half-written dist.
 */
function newestSourceMs(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('dist.') || entry.name === 'node_modules') continue;
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function ensureAppBuilt(projectRoot: string, apiBase: string): Promise<{ dist: string; built: boolean }> {
  const appRoot = join(projectRoot, 'app');
  const dist = join(appRoot, 'dist');
  const stampFile = join(dist, '.build-stamp.json');
  const stamp = JSON.stringify({ apiBase });
  const current = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && statSync(stampFile).mtimeMs >= newestSourceMs(appRoot);
  if (current) return { dist, built: false };

  const outDir = join(appRoot, `dist.${process.pid}.${Date.now()}`);
  const { build } = await import('vite');
  const previous = process.env.VITE_API_BASE;
  process.env.VITE_API_BASE = apiBase;
  try {
    await build({ configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env.VITE_API_BASE;
    else process.env.VITE_API_BASE = previous;
  }
  writeFileSync(join(outDir, '.build-stamp.json'), stamp);
  rmSync(dist, { recursive: true, force: true });
  try {
    renameSync(outDir, dist);
  } catch (error) {
    // Another stack renamed its (identical) build into place first: use that one.
    rmSync(outDir, { recursive: true, force: true });
    if (!existsSync(join(dist, 'index.html'))) throw error;
  }
  return { dist, built: true };
}
