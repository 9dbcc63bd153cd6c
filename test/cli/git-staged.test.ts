import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { expectOneLineError, jsonReport, runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { useTempDirs } from '../support/tree.js';

const tempDir = useTempDirs();

function staged(dir: string) {
  const run = runCli(['git', '--staged', '--no-config', '-f', 'json', '--show-secrets'], { cwd: dir });
  return { run, report: jsonReport(run) };
}

describe('secretscan git --staged', () => {
  it('sees the staged content even after the working tree dropped the key', () => {
    const r = new TestRepo(tempDir());
    r.commit('Initial', { 'app.py': 'print("hi")\n' });
    const key = stripeSecretKey();
    r.write({ 'app.py': `print("hi")\nKEY = "${key}"\n` });
    r.git('add', 'app.py');
    r.write({ 'app.py': 'print("hi")\n' }); // not staged
    const { run, report } = staged(r.dir);
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => f.secret)).toEqual([key]);
    expect(report.findings[0]!.locations[0]).toMatchObject({ path: 'app.py', line: 2, column: 8 });
  });

  it('ignores a key that is only in the working tree, not staged', () => {
    const r = new TestRepo(tempDir());
    r.commit('Initial', { 'app.py': 'print("hi")\n' });
    r.write({ 'notes.txt': 'todo\n' });
    r.git('add', 'notes.txt');
    r.write({ 'app.py': `KEY = "${stripeSecretKey()}"\n`, 'notes.txt': `todo ${stripeSecretKey()}\n` });
    const { run, report } = staged(r.dir);
    expect(run.status).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('reports only lines the change adds, numbered as they will be committed', () => {
    const r = new TestRepo(tempDir());
    const old = stripeSecretKey();
    r.commit('Initial', { 'config.yml': `a: 1\nold_key: ${old}\nb: 2\n` });
    const added = stripeSecretKey();
    r.write({ 'config.yml': `# header\na: 1\nold_key: ${old}\nb: 2\nc: 3\nnew_key: ${added}\n` });
    r.git('add', '-A');
    const { report } = staged(r.dir);
    expect(report.findings.map((f) => f.secret)).toEqual([added]);
    expect(report.findings[0]!.locations[0]).toMatchObject({ path: 'config.yml', line: 6 });
  });

  it('scans the first commit of a repository against the empty tree', () => {
    const r = new TestRepo(tempDir());
    const key = stripeSecretKey();
    r.write({ '.env': `STRIPE=${key}\n`, 'README.md': '# new\n' });
    r.git('add', '-A');
    const { run, report } = staged(r.dir);
    expect(run.status).toBe(1);
    expect(report.findings[0]!.locations[0]).toMatchObject({ path: '.env', line: 1 });
  });

  it('run from a folder inside the work tree, reports paths from the top folder', () => {
    // The staged diff starts in the folder named, before the repository is opened.
    const r = new TestRepo(tempDir());
    r.commit('Initial', { 'src/lib/a.js': 'export const a = 1;\n', 'b.txt': 'b\n' });
    const key = stripeSecretKey();
    r.write({ 'src/lib/a.js': `export const a = 1;\nconst k = "${key}";\n`, 'b.txt': `b\nk=${key}\n` });
    r.git('add', '-A');
    const { run, report } = staged(path.join(r.dir, 'src', 'lib'));
    expect(run.status).toBe(1);
    expect(report.findings[0]!.locations.map((l) => [l.path, l.line]).sort()).toEqual([['b.txt', 2], ['src/lib/a.js', 2]]);
  });

  it('says what is wrong with a folder that is no repository, or no folder, as before the diff started early', () => {
    const plain = tempDir();
    const outside = runCli(['git', '--staged', '--no-config'], { cwd: plain });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/not a git repository/);
    expect(outside.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const missing = runCli(['git', '--staged', '--no-config', path.join(plain, 'nowhere')], { cwd: plain });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such directory/);
    // A path through a file, and a loop of links: the same one-line error, no internal error.
    writeFileSync(path.join(plain, 'a-file'), 'x\n');
    symlinkSync('loop', path.join(plain, 'loop'));
    for (const target of [path.join(plain, 'a-file', 'x'), path.join(plain, 'loop')]) {
      expectOneLineError(runCli(['git', '--staged', '--no-config', target], { cwd: plain }), /cannot scan .*: no such directory/);
    }
  });

  it('tells a config error before a staged diff git cannot make, as when the diff ran after the rules loaded', () => {
    const r = new TestRepo(tempDir());
    r.commit('Initial', { 'a.txt': 'a\n' });
    r.write({ 'b.txt': 'b\n' });
    r.git('add', '-A');
    writeFileSync(path.join(r.dir, '.git', 'index'), 'not an index');
    writeFileSync(path.join(r.dir, 'bad.yml'), 'disable-rules: [no-such-rule]\n');
    expectOneLineError(runCli(['git', '--staged', '--config', 'bad.yml'], { cwd: r.dir }), /disable-rules: no rule has the id "no-such-rule"/);
  });

  it('passes a change with nothing staged, and tells how to proceed when it blocks', () => {
    const r = new TestRepo(tempDir());
    r.commit('Initial', { 'a.txt': 'a\n' });
    expect(staged(r.dir).run.status).toBe(0);
    r.write({ 'b.txt': `k=${stripeSecretKey()}\n` });
    r.git('add', '-A');
    const run = runCli(['git', '--staged', '--no-config'], { cwd: r.dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^b\.txt:1  stripe-live-secret-key  sk_l…/);
    expect(run.stdout).not.toContain('How to revoke');
    expect(run.stderr).toContain('commit blocked');
    expect(run.stderr).toContain('secretscan:allow');
    // --verbose: the whole report, with how to revoke; the false-positive advice still once.
    const verbose = runCli(['git', '--staged', '--no-config', '--verbose'], { cwd: r.dir });
    expect(verbose.stdout).toContain('How to revoke');
    expect((verbose.stdout + verbose.stderr).match(/False positive\?/g)).toHaveLength(1);
  });

  it('honours an inline allow marker on the added line', () => {
    const r = new TestRepo(tempDir());
    r.commit('Initial', { 'a.txt': 'a\n' });
    r.write({ 'test.py': `KEY = "${stripeSecretKey()}"  # secretscan:allow\n` });
    r.git('add', '-A');
    const { run, report } = staged(r.dir);
    expect(run.status).toBe(0);
    expect(report.suppressed).toEqual({ 'inline-marker': 1 });
  });
});

describe('secretscan git --pre-push', () => {
  function prePush(dir: string, input: string) {
    const run = runCli(['git', '--pre-push', '--no-config', '-f', 'json', '--show-secrets'], { cwd: dir, input });
    return { run, report: jsonReport(run) };
  }

  it('scans the commits a new branch would push, and not those the remote has', () => {
    const remote = tempDir();
    new TestRepo(remote, { bare: true });
    const r = new TestRepo(tempDir());
    const pushed = stripeSecretKey();
    r.commit('Initial', { 'old.txt': `k=${pushed}\n` });
    r.git('remote', 'add', 'origin', remote);
    r.git('push', '-q', 'origin', 'main');
    const fresh = stripeSecretKey();
    const sha = r.commit('New work', { 'new.txt': `k=${fresh}\n` });
    const zero = '0'.repeat(40);
    const { run, report } = prePush(r.dir, `refs/heads/topic ${sha} refs/heads/topic ${zero}\n`);
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => f.secret)).toEqual([fresh]);
  });

  it('scans remote..local for an updated branch, and nothing for a deletion', () => {
    const r = new TestRepo(tempDir());
    const base = r.commit('Initial', { 'a.txt': `k=${stripeSecretKey()}\n` });
    const fresh = stripeSecretKey();
    const tip = r.commit('More', { 'b.txt': `k=${fresh}\n` });
    const { report } = prePush(r.dir, `refs/heads/main ${tip} refs/heads/main ${base}\n`);
    expect(report.findings.map((f) => f.secret)).toEqual([fresh]);
    const zero = '0'.repeat(40);
    const deletion = prePush(r.dir, `(delete) ${zero} refs/heads/old ${base}\n`);
    expect(deletion.run.status).toBe(0);
    expect(deletion.report.findings).toEqual([]);
  });
});

describe('staged scan latency', () => {
  it('stays small on a small change (scanner time, without Node start-up)', () => {
    const r = new TestRepo(tempDir());
    r.commit('Initial', { 'src/a.js': 'export const a = 1;\n'.repeat(200) });
    writeFileSync(path.join(r.dir, 'src/b.js'), 'export const b = 2;\n'.repeat(50));
    r.git('add', '-A');
    const { report } = staged(r.dir);
    expect(report.findings).toEqual([]);
    expect((report.summary as unknown as { durationMs: number }).durationMs).toBeLessThan(1000);
  });
});
