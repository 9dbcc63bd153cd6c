import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { jsonReport, runCli } from '../support/cli.js';
import { githubToken, stripeSecretKey } from '../support/fake-keys.js';

const BASELINE = '.secretscan-baseline.json';
let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-baseline-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A project folder with the given files. */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
const write = (dir: string, rel: string, text: string) => writeFileSync(path.join(dir, rel), text);
const read = (dir: string, rel = BASELINE) => readFileSync(path.join(dir, rel), 'utf8');
const entriesOf = (dir: string) => {
  const { 'secretscan-baseline': _, ...entries } = JSON.parse(read(dir)) as Record<string, { ruleId: string; path: string; reason?: string; acceptedBy?: string }>;
  return entries;
};
/** `secretscan dir` on a project, with its baseline, as JSON. */
function scanDir(dir: string, extra: string[] = ['--baseline', BASELINE]) {
  const run = runCli(['dir', '.', '--no-config', '-f', 'json', '--show-secrets', ...extra], { cwd: dir });
  return { run, report: jsonReport(run), secrets: () => jsonReport(run).findings.map((f) => f.secret) };
}

describe('secretscan baseline: adopting on a codebase with old leaks', () => {
  const old = { stripe: stripeSecretKey(), github: githubToken() };
  let dir: string;
  beforeAll(() => {
    dir = project('adopt', {
      '.env': `PORT=8080\nSTRIPE_KEY=${old.stripe}\n`,
      'src/app.js': `const token = "${old.github}";\n`,
    });
  });

  it('records every current finding, with the reason and who accepted them, and never the secret', () => {
    const r = runCli(['baseline', 'create', '--no-config', '--reason', 'legacy, revoked 2024-05', '--accepted-by', 'alice@example.invalid'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`baseline ${BASELINE} written: 2 entries`);
    const text = read(dir);
    expect(text).not.toContain(old.stripe);
    expect(text).not.toContain(old.github);
    expect(text).not.toMatch(/"line"|"\d{4}-\d\d-\d\dT/); // no line numbers, no timestamps
    expect(Object.values(entriesOf(dir)).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { ruleId: 'stripe-live-secret-key', path: '.env', reason: 'legacy, revoked 2024-05', acceptedBy: 'alice@example.invalid' },
      { ruleId: expect.stringMatching(/^github/), path: 'src/app.js', reason: 'legacy, revoked 2024-05', acceptedBy: 'alice@example.invalid' },
    ]);
    // Keyed by the same location fingerprints the JSON report carries.
    const fingerprints = scanDir(dir, []).report.findings.flatMap((f) => f.locations.map((l) => l.fingerprint));
    expect(Object.keys(entriesOf(dir)).sort()).toEqual(fingerprints.sort());
  });

  it('then passes a scan with --baseline, counting what the baseline suppressed', () => {
    const { run, report } = scanDir(dir);
    expect(run.status, run.stderr).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual({ baseline: 2 });
  });

  it('fails on a new secret, reporting only the new one, while the baselined ones still pass', () => {
    const fresh = stripeSecretKey();
    write(dir, 'src/billing.js', `export const key = "${fresh}";\n`);
    const { run, secrets, report } = scanDir(dir);
    expect(run.status).toBe(1);
    expect(secrets()).toEqual([fresh]);
    expect(report.suppressed).toEqual({ baseline: 2 });
    rmSync(path.join(dir, 'src/billing.js'));
    expect(scanDir(dir).run.status).toBe(0);
  });

  it('still suppresses a baselined secret pushed down by inserted lines: its fingerprint has no line in it', () => {
    const before = scanDir(dir, []).report.findings.find((f) => f.secret === old.stripe)!.locations[0]!;
    write(dir, '.env', `# added above\nDEBUG=1\nLOG=info\nHOST=localhost\nPORT=8080\nSTRIPE_KEY=${old.stripe}\n`);
    const after = scanDir(dir, []).report.findings.find((f) => f.secret === old.stripe)!.locations[0]!;
    expect([before.line, after.line]).toEqual([2, 6]);
    expect(after.fingerprint).toBe(before.fingerprint);
    const { run, report } = scanDir(dir);
    expect(run.status).toBe(0);
    expect(report.suppressed).toEqual({ baseline: 2 });
  });

  it('reports a different secret on the same line as a baselined one', () => {
    const other = stripeSecretKey();
    write(dir, '.env', `PORT=8080\nSTRIPE_KEY=${old.stripe} STRIPE_KEY_2=${other}\n`);
    const { run, secrets, report } = scanDir(dir);
    expect(run.status).toBe(1);
    expect(secrets()).toEqual([other]);
    expect(report.findings[0]!.locations).toMatchObject([{ path: '.env', line: 2 }]);
    expect(report.suppressed).toEqual({ baseline: 2 });
  });

  it('reports the same secret copied to another file: the baseline accepts a location, not a key everywhere', () => {
    write(dir, '.env', `PORT=8080\nSTRIPE_KEY=${old.stripe}\n`);
    write(dir, 'deploy.env', `STRIPE_KEY=${old.stripe}\n`);
    const { run, report } = scanDir(dir);
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => [f.secret, f.locations.map((l) => l.path)])).toEqual([[old.stripe, ['deploy.env']]]);
    rmSync(path.join(dir, 'deploy.env'));
  });

  it('update prunes the entry of a secret that was removed, keeping the reasons of the others', () => {
    write(dir, '.env', 'PORT=8080\nSTRIPE_KEY=${STRIPE_KEY}\n');
    const r = runCli(['baseline', 'update', '--no-config'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 entry pruned, 0 added, 1 kept');
    expect(Object.values(entriesOf(dir))).toEqual([
      { ruleId: expect.stringMatching(/^github/), path: 'src/app.js', reason: 'legacy, revoked 2024-05', acceptedBy: 'alice@example.invalid' },
    ]);
    // Back again, the removed secret is new.
    write(dir, '.env', `PORT=8080\nSTRIPE_KEY=${old.stripe}\n`);
    expect(scanDir(dir).secrets()).toEqual([old.stripe]);
  });

  it('update --add records new findings with their own reason, leaving existing entries as they were', () => {
    const r = runCli(['baseline', 'update', '--no-config', '--add', '--reason', 'rotated, see TICKET-12'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('0 entries pruned, 1 added, 2 kept');
    expect(Object.values(entriesOf(dir)).map((e) => [e.path, e.reason, e.acceptedBy])).toEqual(
      expect.arrayContaining([['.env', 'rotated, see TICKET-12', undefined], ['src/app.js', 'legacy, revoked 2024-05', 'alice@example.invalid']]),
    );
    expect(scanDir(dir).run.status).toBe(0);
  });

  it('update without --add leaves new findings out and says so', () => {
    write(dir, 'new.env', `STRIPE_KEY=${stripeSecretKey()}\n`);
    const r = runCli(['baseline', 'update', '--no-config'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('(1 finding not in it; --add records them)');
    expect(Object.keys(entriesOf(dir))).toHaveLength(2);
    rmSync(path.join(dir, 'new.env'));
  });

  it('create refuses to overwrite a baseline (and lose its reasons) without --force', () => {
    const r = runCli(['baseline', 'create', '--no-config'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error: baseline ${BASELINE} already exists`);
  });
});

describe('secretscan baseline: other sources and settings', () => {
  it('builds the same baseline from a JSON report (--from) as from a scan', () => {
    const dir = project('from-report', { 'a.env': `STRIPE_KEY=${stripeSecretKey()}\n`, 'b/c.py': `TOKEN = "${githubToken()}"\n` });
    runCli(['dir', '.', '--no-config', '-f', 'json', '-o', 'report.json'], { cwd: dir });
    expect(runCli(['baseline', 'create', '--from', 'report.json', '-o', 'from-report.json'], { cwd: dir }).status).toBe(0);
    expect(runCli(['baseline', 'create', '--no-config', '-o', 'from-scan.json'], { cwd: dir }).status).toBe(0);
    expect(read(dir, 'from-report.json')).toBe(read(dir, 'from-scan.json'));
    expect(Object.keys(JSON.parse(read(dir, 'from-scan.json')))).toHaveLength(3);
  });

  it('refuses a report made with --baseline: it leaves out what was accepted', () => {
    const dir = project('from-filtered', { 'a.env': `STRIPE_KEY=${stripeSecretKey()}\n` });
    runCli(['baseline', 'create', '--no-config'], { cwd: dir });
    runCli(['dir', '.', '--no-config', '--baseline', BASELINE, '-f', 'json', '-o', 'report.json'], { cwd: dir });
    const r = runCli(['baseline', 'update', '--from', 'report.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('report.json: this report was made with --baseline');
  });

  it('refuses one shard\'s report (update would prune the other shards\' entries), takes the merged report of all shards', () => {
    const keys = Array.from({ length: 6 }, () => githubToken());
    const dir = project('from-shard', Object.fromEntries(keys.map((k, i) => [`f${i}.env`, `TOKEN=${k}\n`])));
    runCli(['baseline', 'create', '--no-config'], { cwd: dir });
    const before = read(dir);
    for (const k of ['1', '2']) runCli(['dir', '.', '--no-config', '--no-baseline', '--shard', `${k}/2`, '-f', 'json', '-o', `shard${k}.json`], { cwd: dir });
    const r = runCli(['baseline', 'update', '--from', 'shard1.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/shard1\.json: this report covers shard 1\/2 only/);
    expect(read(dir)).toBe(before);
    expect(runCli(['merge', 'shard1.json', 'shard2.json', '--no-config', '-f', 'json', '-o', 'all.json', '-q'], { cwd: dir }).status).toBe(1);
    const merged = runCli(['baseline', 'update', '--from', 'all.json'], { cwd: dir });
    expect(merged.status, merged.stderr).toBe(0);
    expect(read(dir)).toBe(before);
  });

  it('takes the baseline from the config key `baseline`, relative to the config file; --no-baseline ignores it', () => {
    const key = stripeSecretKey();
    const dir = project('config-key', { '.secretscanrc': 'baseline: audit/accepted.json\n', 'app/.env': `STRIPE_KEY=${key}\n` });
    mkdirSync(path.join(dir, 'audit'));
    const created = runCli(['baseline', 'create'], { cwd: dir });
    expect(created.status, created.stderr).toBe(0);
    expect(Object.values(JSON.parse(read(dir, 'audit/accepted.json')))).toHaveLength(2);
    const scan = (args: string[]) => runCli(['dir', '.', '-f', 'json', ...args], { cwd: dir });
    expect(jsonReport(scan([])).suppressed).toEqual({ baseline: 1 });
    expect(scan([]).status).toBe(0);
    expect(scan(['--no-baseline']).status).toBe(1);
  });

  const malformed: [string, string, string][] = [
    ['not JSON', '{"secretscan-baseline": 1\n,"abc"', 'not a valid baseline: not JSON'],
    ['a bad entry', `{"secretscan-baseline": 1\n,"${'a'.repeat(32)}": {"ruleId": "stripe-live-secret-key", "path": ".env"}\n,"${'b'.repeat(32)}": {"ruleId": "x"}\n}\n`, `entry 2 ("${'b'.repeat(32)}"): "path" must be a non-empty string`],
    ['a raw secret as key', `{"secretscan-baseline": 1\n,"sk_live_notreal": {"ruleId": "r", "path": "p"}\n}\n`, 'entry 1 ("sk_…(15 chars)"): the key must be a location fingerprint'],
    ['another version', '{"secretscan-baseline": 7}', 'baseline version 7 is not supported'],
  ];
  for (const [what, text, message] of malformed) {
    it(`stops a scan with a baseline holding ${what}: one line naming the file and entry, exit 2`, () => {
      const dir = project(`malformed-${what.replace(/\W+/g, '-')}`, { 'bad.json': text, 'a.env': 'A=1\n' });
      const r = runCli(['dir', '.', '--no-config', '--baseline', 'bad.json'], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`secretscan: error: ${path.join(dir, 'bad.json')}: ${message}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toContain('sk_live_notreal'); // a key that may be a secret is shown redacted
    });
  }

  it('names a missing baseline file and how to make one', () => {
    const dir = project('missing', { 'a.env': 'A=1\n' });
    const r = runCli(['dir', '.', '--no-config', '--baseline', 'nope.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read baseline');
    expect(r.stderr).toContain('ENOENT');
    expect(r.stderr).toContain('secretscan baseline create');
  });

  it('update refuses --reason without --add: existing entries keep the reasons they were accepted with', () => {
    const dir = project('reason-no-add', { 'a.env': 'A=1\n' });
    runCli(['baseline', 'create', '--no-config'], { cwd: dir });
    const r = runCli(['baseline', 'update', '--no-config', '--reason', 'x'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--reason and --accepted-by label the entries that --add records');
  });
});

describe('secretscan baseline --git: history scans', () => {
  const keys = { removed: stripeSecretKey(), kept: githubToken(), fresh: stripeSecretKey() };
  let repo: { dir: string; commit: (m: string, f: Record<string, string | null>) => string };
  const scanGit = (extra: string[] = ['--baseline', BASELINE]) => {
    const run = runCli(['git', '.', '--no-config', '-f', 'json', '--show-secrets', ...extra], { cwd: repo.dir });
    return { run, report: jsonReport(run) };
  };
  beforeAll(() => {
    repo = new TestRepo(path.join(root, 'history'));
    repo.commit('add config', { 'config/.env': `STRIPE_KEY=${keys.removed}\n`, 'src/client.js': `const t = "${keys.kept}";\n` });
    repo.commit('remove the key', { 'config/.env': 'STRIPE_KEY=${STRIPE_KEY}\n' });
  });

  it('records secrets from every commit, including one removed since, and then the history scan passes', () => {
    const r = runCli(['baseline', 'create', '--git', '--no-config'], { cwd: repo.dir });
    expect(r.status, r.stderr).toBe(0);
    expect(Object.values(entriesOf(repo.dir)).map((e) => e.path).sort()).toEqual(['config/.env', 'src/client.js']);
    expect(read(repo.dir)).not.toContain(keys.removed);
    const { run, report } = scanGit();
    expect(run.status, run.stderr).toBe(0);
    expect(report.suppressed).toEqual({ baseline: 2 });
  });

  it('keeps suppressing a baselined secret in later commits at the same path, moved down the file: fingerprints are per path, not per commit', () => {
    repo.commit('re-add the key lower down', { 'config/.env': `# comment\nPORT=1\nSTRIPE_KEY=${keys.removed}\n` });
    repo.commit('edit the client', { 'src/client.js': `// header\n\nconst t = "${keys.kept}";\n` });
    const { run, report } = scanGit();
    expect(run.status, run.stderr).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('fails on a secret committed after the baseline, reporting only it', () => {
    repo.commit('new key', { 'src/pay.js': `const k = "${keys.fresh}";\n` });
    const { run, report } = scanGit();
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => [f.secret, f.locations.map((l) => l.path)])).toEqual([[keys.fresh, ['src/pay.js']]]);
    // The range a pull request adds, too.
    const range = scanGit(['--baseline', BASELINE, '--range', 'HEAD~3..HEAD']);
    expect(range.report.findings.map((f) => f.secret)).toEqual([keys.fresh]);
  });

  it('update --git keeps entries for secrets that only history holds (history is what it scans)', () => {
    const r = runCli(['baseline', 'update', '--git', '--no-config', '--add', '--accepted-by', 'bob'], { cwd: repo.dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('0 entries pruned, 1 added, 3 kept');
    expect(scanGit().run.status).toBe(0);
  });
});
