import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, sharedEsbuildOptions } from '../../infra/build/esbuild-options';
import { awsHttpEvent } from '../helpers/events';
import { createUser } from '../helpers/users';

/**
 * The deployed artefact, not the TypeScript sources: a bundle built with the options both clouds
 * deploy (module shims and the mysql2 cold-start plugin included) must still serve a request
 * against the real database, report MySQL error codes, and speak the compressed protocol, while
 * loading neither `tls` nor `zlib` until a connection asks for them.
 */
const probeDir = path.join(projectRoot, 'test', 'fixtures', 'bundle-probe');

interface BundleReport {
  atLoad: { tls: boolean; zlib: boolean };
  me: { statusCode: number; body: { success: boolean; data: { id: string } } };
  sqlError: { code: string; errno: number };
  afterQueries: { tls: boolean; zlib: boolean };
  compressed: { two: number; tls: boolean; zlib: boolean };
}

describe('a function bundle built as deployed', () => {
  let outDir: string;
  let report: BundleReport;
  let userId: string;

  beforeAll(async () => {
    // Arrange: build the probe with the deploy options, and a user to ask about
    outDir = await mkdtemp(path.join(os.tmpdir(), 'aiphoto-bundle-'));
    const bundle = path.join(outDir, 'index.js');
    await build({ ...sharedEsbuildOptions(), absWorkingDir: projectRoot, entryPoints: [path.join(probeDir, 'entry.ts')], outfile: bundle, logLevel: 'silent' });
    const { user, token } = await createUser();
    userId = user.id;

    // Act: one fresh process loads the bundle and uses it
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(probeDir, 'run.cjs'), bundle], {
      env: { ...process.env, PROBE_EVENT: JSON.stringify(awsHttpEvent({ method: 'GET', path: '/auth/me', token })) },
    });
    report = JSON.parse(stdout) as BundleReport;
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('serves a request against the real database', () => {
    expect(report.me.statusCode).toBe(200);
    expect(report.me.body.success).toBe(true);
    expect(report.me.body.data.id).toBe(userId);
  });

  it('still names MySQL errors (the error table is parsed on first use)', () => {
    expect(report.sqlError).toEqual({ code: 'ER_NO_SUCH_TABLE', errno: 1146 });
  });

  it('loads neither tls nor zlib for plain connections', () => {
    expect(report.atLoad).toEqual({ tls: false, zlib: false });
    expect(report.afterQueries).toEqual({ tls: false, zlib: false });
  });

  it('loads zlib when a connection asks for compression, and the compressed protocol works', () => {
    expect(report.compressed).toEqual({ two: 2, tls: false, zlib: true });
  });
});
