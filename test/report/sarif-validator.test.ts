import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The SARIF authors' own validator (Sarif.Multitool, npm @microsoft/sarif-multitool, 5.x: 4.x
// crashes in its single-file bundle). Its exit code is 0 even for invalid logs, so the test
// reads the validation log it writes and fails on any error-level result.
const require = createRequire(import.meta.url);
const validator = require('@microsoft/sarif-multitool') as string;
const root = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(root, 'bin', 'secretscan.js');

const base62 = (n: number) => [...randomBytes(n)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');

function validate(file: string): { level?: string; ruleId: string; message: unknown }[] {
  const out = `${file}.validation.sarif`;
  const r = spawnSync(validator, ['validate', file, '--output', out, '--log', 'ForceOverwrite', '--quiet', 'true'], {
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    encoding: 'utf8',
  });
  expect(r.status, `validator failed to run: ${r.stderr}${r.stdout}`).toBe(0);
  const log = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: { results?: { level?: string; ruleId: string; message: unknown }[]; invocations?: { executionSuccessful: boolean }[] }[];
  };
  const run = log.runs[0]!;
  expect(run.invocations?.[0]?.executionSuccessful).toBe(true);
  return run.results ?? [];
}

describe('SARIF report', () => {
  let sarifFile: string;

  beforeAll(() => {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    const dir = mkdtempSync(path.join(tmpdir(), 'secretscan-sarif-'));
    mkdirSync(path.join(dir, 'src dir'));
    writeFileSync(path.join(dir, '.env'), `STRIPE_SECRET_KEY=sk_live_${base62(99)}\nDB_PASSWORD=${base62(18)}7\n`);
    // A path with a space and a non-ASCII name must still be a valid URI reference.
    writeFileSync(path.join(dir, 'src dir', 'café.js'), `// é\nconst key = "sk_live_${base62(40)}";\n`);
    // A low-confidence finding (a generic value in a test folder), shown with --confidence low: its rank must validate too.
    mkdirSync(path.join(dir, 'test'));
    writeFileSync(path.join(dir, 'test', 'app.env'), `API_SECRET=${base62(22)}9\n`);
    sarifFile = path.join(dir, 'report.sarif');
    const r = spawnSync(process.execPath, [cli, 'dir', dir, '--no-config', '--confidence', 'low', '-f', 'sarif', '-o', sarifFile, '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
  }, 120_000);

  it('passes Sarif.Multitool validate with no errors', () => {
    const results = validate(sarifFile);
    const errors = results.filter((r) => r.level === 'error');
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  }, 60_000);

  it('the validator does report errors in a broken log (so the check above can fail)', () => {
    const broken = path.join(path.dirname(sarifFile), 'broken.sarif');
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    log.runs[0].tool = { name: 'secretscan' };
    log.runs[0].results[0].level = 'fatal';
    writeFileSync(broken, JSON.stringify(log));
    expect(validate(broken).filter((r) => r.level === 'error').length).toBeGreaterThan(0);
  }, 60_000);

  it('carries revocation help, security-severity and partial fingerprints, and no raw secret', () => {
    const text = readFileSync(sarifFile, 'utf8');
    const log = JSON.parse(text);
    const env = readFileSync(path.join(path.dirname(sarifFile), '.env'), 'utf8');
    const stripeKey = /sk_live_\w+/.exec(env)![0];
    expect(text).not.toContain(stripeKey);
    const rule = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id.startsWith('stripe'));
    expect(rule.help.markdown).toMatch(/dashboard\.stripe\.com/i);
    expect(Number(rule.properties['security-severity'])).toBeGreaterThanOrEqual(9);
    for (const r of log.runs[0].results) expect(r.partialFingerprints['secretscan/v1']).toMatch(/^[0-9a-f]{32}$/);
    const confidences = log.runs[0].results.map((r: { properties: { confidence: string } }) => r.properties.confidence);
    expect(new Set(confidences)).toEqual(new Set(['high', 'medium', 'low']));
  });
});
