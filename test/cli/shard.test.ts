import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { buildHistoryRepo } from '../../fixtures/git/build-history.mjs';
import { runCli } from '../support/cli.js';
import { awsAccessKeyId, githubToken, stripeSecretKey } from '../support/fake-keys.js';
import { useFixtureImages } from '../support/images.js';
import { git, writeTree } from '../support/tree.js';

// End to end, as CI jobs would run it: each shard through the built CLI with --format json, the
// reports combined with `secretscan merge`, and the result compared with one unsharded scan.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-shard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let written = 0;

type Json = Record<string, unknown> & {
  target: string;
  shard?: { index: number; total: number };
  findings: { id: string; secret?: string; locations: Record<string, unknown>[] }[];
  skipped: unknown[];
  suppressed: Record<string, number>;
  summary: Record<string, unknown>;
};

function json(stdout: string, stderr: string): Json {
  try {
    return JSON.parse(stdout) as Json;
  } catch {
    throw new Error(`not JSON:\n${stdout}\n${stderr}`);
  }
}

/** Keys sorted, so that comparisons do not depend on key order. */
function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** A report as a set: findings by id with every location (origin included), sorted; durations left out. */
function normalise(r: Json) {
  const { durationMs: _, ...summary } = r.summary;
  return {
    target: r.target,
    findings: r.findings
      .map((f) => ({ ...f, locations: f.locations.map(stable).sort() }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    skipped: r.skipped.map(stable).sort(),
    suppressed: r.suppressed,
    summary,
  };
}

/** Runs every shard of `scan` (a CLI command line), writes each JSON report, and merges them. */
function shardAndMerge(scan: string[], total: number, mergeArgs: string[] = []): { merged: Json; shards: Json[] } {
  const files: string[] = [];
  const shards: Json[] = [];
  for (let k = 1; k <= total; k++) {
    const run = runCli([...scan, '--shard', `${k}/${total}`, '-f', 'json']);
    expect(run.status, run.stderr).not.toBe(2);
    const report = json(run.stdout, run.stderr);
    expect(report.shard).toEqual({ index: k, total });
    const file = path.join(scratch, `report-${written++}.json`);
    writeFileSync(file, run.stdout);
    files.push(file);
    shards.push(report);
  }
  const run = runCli(['merge', ...files, '-f', 'json', '--no-config', ...mergeArgs]);
  expect(run.status, run.stderr).not.toBe(2);
  return { merged: json(run.stdout, run.stderr), shards };
}

function fullScan(scan: string[]): Json {
  const run = runCli([...scan, '-f', 'json']);
  expect(run.status, run.stderr).not.toBe(2);
  return json(run.stdout, run.stderr);
}

/** The merged report is the full scan, and the shards split the work: each item and each place in one shard only. */
function expectSameScan({ merged, shards }: { merged: Json; shards: Json[] }, full: Json): void {
  expect(full.findings.length).toBeGreaterThan(0);
  expect(normalise(merged)).toEqual(normalise(full));
  const sum = (key: string) => shards.reduce((n, s) => n + (s.summary[key] as number), 0);
  expect(sum('files')).toBe(full.summary.files);
  expect(sum('locations')).toBe(full.summary.locations);
}

describe('--shard on a directory', () => {
  let dir: string;
  const keys = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? stripeSecretKey() : i % 3 === 1 ? awsAccessKeyId() : githubToken()));
  beforeAll(() => {
    dir = mkdtempSync(path.join(scratch, 'tree-'));
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`pkg${i % 7}/file-${i}.txt`] = `line one\nnothing here ${i}\n`;
    // Leaks in several files, and one key copied into three files: one finding, locations in different shards.
    keys.forEach((k, i) => (files[`src/leak-${i}.env`] = `# config ${i}\nKEY=${k}\n`));
    for (const p of ['copies/a.env', 'copies/b/c.env', 'deep/x/y/z.env']) files[p] = `\nSHARED=${keys[0]}\n`;
    files['big.bin'] = '\0'.repeat(100);
    writeTree(dir, files);
  });

  it('the shards together find exactly what one scan finds, for several shard counts', () => {
    const scan = ['dir', dir, '--no-config'];
    const full = fullScan(scan);
    expect(full.findings).toHaveLength(12);
    for (const total of [2, 3, 5]) {
      const { merged, shards } = shardAndMerge(scan, total);
      expectSameScan({ merged, shards }, full);
      // The work really split.
      for (const s of shards) expect(s.summary.files as number).toBeLessThan(full.summary.files as number);
      expect(merged.merged).toEqual({ reports: total, shards: total });
    }
  });

  it('more shards than files: the empty shards report nothing and the union is still whole', () => {
    const small = mkdtempSync(path.join(scratch, 'small-'));
    writeTree(small, { 'a.env': `K=${keys[0]}\n`, 'b.env': `K=${keys[1]}\n` });
    const scan = ['dir', small, '--no-config'];
    const sharded = shardAndMerge(scan, 9);
    expect(sharded.shards.filter((s) => s.findings.length === 0).length).toBeGreaterThanOrEqual(7);
    expectSameScan(sharded, fullScan(scan));
  });

  it('the same shard is the same files on every run', () => {
    const a = json(runCli(['dir', dir, '--no-config', '--shard', '2/3', '-f', 'json']).stdout, '');
    const b = json(runCli(['dir', dir, '--no-config', '--shard', '2/3', '-f', 'json']).stdout, '');
    expect(normalise(a)).toEqual(normalise(b));
  });
});

describe('--shard on git history', () => {
  let repoDir: string;
  let editsDir: string;
  beforeAll(() => {
    const names = ['deleted', 'renamed', 'side', 'tagged', 'merged', 'message', 'binary', 'large', 'latin1', 'atHead'];
    repoDir = buildHistoryRepo(path.join(scratch, 'history'), Object.fromEntries(names.map((n) => [n, stripeSecretKey()]))).dir;
    // A large file edited over several commits: later versions are matched only where they
    // changed, against a previous version that another shard may own.
    editsDir = mkdtempSync(path.join(scratch, 'edits-'));
    git(editsDir, 'init', '-q');
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `filler line ${i} ${'.'.repeat(60)}`).join('\n');
    const versions = [
      `${filler(40)}\nA=${stripeSecretKey()}\n${filler(80)}\n`,
      null,
      null,
      null,
    ];
    versions[1] = `${versions[0]}${filler(30)}\nB=${githubToken()}\n`;
    versions[2] = versions[1]!.replace('filler line 20 ', `C=${awsAccessKeyId()} `);
    versions[3] = `${filler(5)}\n${versions[2]}`;
    versions.forEach((v, i) => {
      writeTree(editsDir, { 'big.txt': v!, [`small-${i}.txt`]: `token ${i}\n` });
      git(editsDir, 'add', '-A');
      git(editsDir, 'commit', '-q', '-m', i === 2 ? `rotate, old was ${stripeSecretKey()}` : `edit ${i}`);
    });
    // One token in three commit messages, and a key removed then added back at the same path:
    // an unsharded scan reports each once, at the earliest commit, and so must the shards.
    const again = stripeSecretKey();
    const token = githubToken();
    for (let i = 0; i < 6; i++) {
      writeTree(editsDir, { 'again.env': i % 2 === 0 ? `K=${again}\n# v${i}\n` : `K=none\n# v${i}\n` });
      git(editsDir, 'add', '-A');
      git(editsDir, 'commit', '-q', '-m', i % 2 === 0 ? `deploy with ${token}` : `cleanup ${i}`);
    }
    git(editsDir, 'mv', 'big.txt', 'moved.txt');
    writeTree(editsDir, { 'moved.txt': `${versions[3]}D=${stripeSecretKey()}\n` });
    git(editsDir, 'add', '-A');
    git(editsDir, 'commit', '-q', '-m', 'move');
  });

  it('the shards find every finding at the same commit, author and HEAD presence as one scan (history fixture)', () => {
    const scan = ['git', repoDir, '--no-config', '--max-file-size', '1MB'];
    const full = fullScan(scan);
    for (const total of [2, 4]) expectSameScan(shardAndMerge(scan, total), full);
  });

  it('a file edited over many commits: same findings whichever shard holds its previous versions', () => {
    const scan = ['git', editsDir, '--no-config'];
    const full = fullScan(scan);
    expect(full.findings.length).toBe(7);
    for (const total of [2, 3, 4, 5]) expectSameScan(shardAndMerge(scan, total), full);
  });
});

describe('--shard on an image', () => {
  const images = useFixtureImages();

  it('the shards (split by layer entry, config in one) find what one scan finds, origins and visibility included', () => {
    const scan = ['image', images().ociDir, '--no-config'];
    const full = fullScan(scan);
    for (const total of [2, 7]) expectSameScan(shardAndMerge(scan, total), full);
  });

  it('no shard writes a secret found by another shard into a quoted build step', () => {
    const scan = ['image', images().dockerArchive, '--no-config'];
    const { shards } = shardAndMerge(scan, 3);
    const all = JSON.stringify(shards);
    expect(all).not.toContain(images().keys.runLine);
    expect(all).not.toContain(images().keys.env);
  });
});

describe('--shard arguments', () => {
  const dir = () => mkdtempSync(path.join(scratch, 'args-'));

  it.each([['0/3'], ['4/3'], ['x/y'], ['1/0'], ['2'], ['1/2/3'], ['-1/3'], ['1.5/3'], ['']])('rejects --shard %s with one line and exit 2', (spec) => {
    const run = runCli(['dir', dir(), '--no-config', `--shard=${spec}`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^secretscan: error: .*shard/);
    expect(run.stderr).not.toMatch(/^ {4}at /m);
  });

  it('--shard auto reads JOB_COMPLETION_INDEX (0-based) and the total from --shard-total or SECRETSCAN_SHARD_TOTAL', () => {
    const d = dir();
    const viaFlag = runCli(['dir', d, '--no-config', '--shard', 'auto', '--shard-total', '4', '-f', 'json'], { env: { JOB_COMPLETION_INDEX: '3' } });
    expect(json(viaFlag.stdout, viaFlag.stderr).shard).toEqual({ index: 4, total: 4 });
    const viaEnv = runCli(['dir', d, '--no-config', '--shard', 'auto', '-f', 'json'], { env: { JOB_COMPLETION_INDEX: '0', SECRETSCAN_SHARD_TOTAL: '2' } });
    expect(json(viaEnv.stdout, viaEnv.stderr).shard).toEqual({ index: 1, total: 2 });
  });

  it.each([
    [{}, ['--shard-total', '3'], /JOB_COMPLETION_INDEX/],
    [{ JOB_COMPLETION_INDEX: '1' }, [], /--shard-total N or set SECRETSCAN_SHARD_TOTAL/],
    [{ JOB_COMPLETION_INDEX: '3' }, ['--shard-total', '3'], /JOB_COMPLETION_INDEX=3 does not name one of 3 shards/],
    [{ JOB_COMPLETION_INDEX: 'a' }, ['--shard-total', '3'], /JOB_COMPLETION_INDEX=a/],
  ])('rejects --shard auto with env %o and %o', (env, extra, message) => {
    const run = runCli(['dir', dir(), '--no-config', '--shard', 'auto', ...extra], { env: env as Record<string, string> });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('rejects --shard on standard input and staged scans, and --shard-total without auto', () => {
    expect(runCli(['stdin', '--no-config', '--shard', '1/2']).stderr).toMatch(/--shard does not apply to standard input/);
    expect(runCli(['dir', dir(), '--no-config', '--shard', '1/2', '--shard-total', '2']).stderr).toMatch(/--shard-total goes with --shard auto/);
    const repo = dir();
    git(repo, 'init', '-q');
    const staged = runCli(['git', repo, '--staged', '--no-config', '--shard', '1/2']);
    expect(staged.status).toBe(2);
    expect(staged.stderr).toMatch(/--shard does not apply to staged changes/);
  });
});
