import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { defaultConfig } from '../../src/config/config.js';
import { scanDirectory } from '../../src/scan/directory.js';
import { prepareScan } from '../../src/scan/engine.js';
import { jsonReport, runCli } from '../support/cli.js';
import { useTempDirs, writeTree } from '../support/tree.js';

// The same bare `password = <value>` is a value in a config file and an identifier in code: every
// source must pass the file's path to the engine so that generic rules can tell (issue 10).
const VALUE = 'Wq8Lz2Xk7Pm4Rt9Nb3Vc';
const FILES = {
  'config/app.ini': `[db]\npassword = ${VALUE}\n`,
  'src/db.js': `password = ${VALUE}\n`,
  'types/db.d.ts': `export declare const password: ${VALUE};\n`,
};

const tempDir = useTempDirs();
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('generic values are judged by the kind of file they sit in', () => {
  it('in a directory scan', async () => {
    const root = tempDir();
    writeTree(root, FILES);
    const result = await scanDirectory(root, prepareScan(defaultConfig(root)), { gitignore: true });
    const paths = result.findings.flatMap((f) => f.locations.map((l) => l.path));
    expect(paths).toEqual(['config/app.ini']);
  });

  it('in a git history scan', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-kind-'));
    roots.push(root);
    const repo = new TestRepo(path.join(root, 'repo'));
    repo.commit('Add the app', FILES);
    const run = runCli(['git', repo.dir, '--no-config', '-f', 'json', '--show-secrets']);
    const paths = jsonReport(run).findings.flatMap((f) => f.locations.map((l) => l.path));
    expect(paths).toEqual(['config/app.ini']);
  });
});
