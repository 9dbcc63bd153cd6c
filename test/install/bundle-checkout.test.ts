import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * In a checkout (a .git beside rules/), the built rule bundle is trusted only while the YAML files
 * are the ones it was built from: files of the sizes and mtimes recorded at the build are not read
 * again; a touched file is hashed; an edited one makes the bundle stale. Run on a copy of the
 * built dist/ and rules/ (`npm run build` first, as `npm test` does).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let dir: string;

function source(): string {
  const run = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(path.join(dir, 'dist', 'rules', 'builtin.js'))}).then((m) => { const r = m.loadBuiltinRules(); console.log(r.rules.length, r.prefilterTable ? 'table' : 'no-table'); })`], {
    encoding: 'utf8',
    env: { ...process.env, SECRETSCAN_DEBUG: '1' },
  });
  expect(run.status, run.stderr).toBe(0);
  return `${run.stderr.trim()} | ${run.stdout.trim()}`;
}

describe('rule bundle in a checkout', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-bundle-'));
    for (const d of ['dist', 'rules']) cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true, preserveTimestamps: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    mkdirSync(path.join(dir, '.git'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the bundle, with its prefilter table, while the rule files are as built', () => {
    expect(source()).toMatch(/built-in rules from the bundle .* \(rule files as built\) \| \d+ table$/);
  });

  it('still reads the bundle when a rule file is touched but not changed', () => {
    const file = path.join(dir, 'rules', readdirSync(path.join(dir, 'rules')).find((n) => n.endsWith('.yml'))!);
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    expect(source()).toMatch(/built-in rules from the bundle .* \(rule files hashed\) \| \d+ table$/);
  });

  it('parses the YAML when a rule file was edited after the build', () => {
    const file = path.join(dir, 'rules', 'stripe.yml');
    appendFileSync(file, '# edited\n');
    expect(source()).toMatch(/built-in rules parsed from the YAML .* \(bundle stale\) \| \d+ no-table$/);
  });
});
