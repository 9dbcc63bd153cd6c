import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { Detector } from '../../src/detect/detector.js';
import { UserError } from '../../src/errors.js';
import { locationFingerprint } from '../../src/findings/fingerprint.js';
import type { LocatedMatch } from '../../src/findings/group.js';
import { Baseline, type BaselineEntry } from '../../src/filters/baseline.js';
import { prepareScan, scanResult } from '../../src/scan/engine.js';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { stripeSecretKey } from '../support/fake-keys.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-baseline-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fingerprint-shaped key that sorts where the test wants it: `fp('3')` is 333…3. */
const fp = (c: string) => c.repeat(32);
const entry = (n: string, extra: Partial<BaselineEntry> = {}): BaselineEntry => ({ ruleId: 'stripe-live-secret-key', path: `src/${n}.js`, ...extra });
const baselineOf = (...keys: string[]) => new Baseline(new Map(keys.map((k) => [fp(k), entry(k)])));

describe('Baseline file format', () => {
  it('writes one entry per line, sorted by fingerprint, whatever order they were added in', () => {
    const b = new Baseline(new Map([
      [fp('9'), entry('nine', { reason: 'test fixture "quoted"', acceptedBy: 'alice@example.invalid' })],
      [fp('1'), entry('one')],
    ]));
    expect(b.serialize()).toBe(
      '{"secretscan-baseline": 1\n' +
        `,"${fp('1')}": {"ruleId": "stripe-live-secret-key", "path": "src/one.js"}\n` +
        `,"${fp('9')}": {"ruleId": "stripe-live-secret-key", "path": "src/nine.js", "reason": "test fixture \\"quoted\\"", "acceptedBy": "alice@example.invalid"}\n` +
        '}\n',
    );
  });

  it('reads back what it writes, reasons and all, as plain JSON', () => {
    const b = new Baseline(new Map([[fp('a'), entry('x', { reason: 'multi\nline reason', acceptedBy: 'bob' })], [fp('2'), entry('y')]]));
    const text = b.serialize();
    expect(text.split('\n')).toHaveLength(5); // the newline in the reason is escaped: still one line per entry
    expect(JSON.parse(text)[fp('a')]).toEqual(entry('x', { reason: 'multi\nline reason', acceptedBy: 'bob' }));
    expect([...Baseline.parse(text, 'b.json').entries]).toEqual([...b.entries].sort(([x], [y]) => (x < y ? -1 : 1)));
  });

  it('writes an empty baseline that reads back empty', () => {
    expect(Baseline.parse(new Baseline().serialize(), 'b.json').size).toBe(0);
  });

  it('reads the same entries pretty-printed by another tool', () => {
    const pretty = JSON.stringify(JSON.parse(baselineOf('1', '2').serialize()), null, 2);
    expect([...Baseline.parse(pretty, 'b.json').entries.keys()]).toEqual([fp('1'), fp('2')]);
  });

  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"secretscan-baseline": 1,', /^b\.json: not a valid baseline: not JSON/],
    ['a list', '[]', /^b\.json: not a valid baseline: expected a JSON object/],
    ['no version', `{"${fp('1')}": {"ruleId": "r", "path": "p"}}`, /^b\.json: not a secretscan baseline: no "secretscan-baseline" version key/],
    ['a newer version', '{"secretscan-baseline": 2}', /^b\.json: baseline version 2 is not supported/],
    ['a key that is not a fingerprint', `{"secretscan-baseline": 1, "${fp('1')}": {"ruleId": "r", "path": "p"}, "sk_live_x": {"ruleId": "r", "path": "p"}}`, /^b\.json: entry 2 \("sk…\(9 chars\)"\): the key must be a location fingerprint/],
    ['an entry without a path', `{"secretscan-baseline": 1, "${fp('1')}": {"ruleId": "r"}}`, /^b\.json: entry 1 \("1{32}"\): "path" must be a non-empty string/],
    ['an entry that is not an object', `{"secretscan-baseline": 1, "${fp('1')}": "r"}`, /^b\.json: entry 1 \("1{32}"\): expected an object with ruleId and path/],
    ['an unknown entry key (a secret)', `{"secretscan-baseline": 1, "${fp('1')}": {"ruleId": "r", "path": "p", "secret": "x"}}`, /^b\.json: entry 1 \("1{32}"\): unknown key "secret"/],
    ['a reason that is not a string', `{"secretscan-baseline": 1, "${fp('1')}": {"ruleId": "r", "path": "p", "reason": 3}}`, /^b\.json: entry 1 \("1{32}"\): "reason" must be a string/],
    ['a fingerprint twice', `{"secretscan-baseline": 1\n,"${fp('1')}": {"ruleId": "r", "path": "p"}\n,"${fp('1')}": {"ruleId": "r", "path": "p", "reason": "x"}\n}`, /^b\.json: fingerprint 1{32} has two different entries/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what} with a message naming the file and the entry`, () => {
      expect(() => Baseline.parse(text, 'b.json')).toThrow(UserError);
      expect(() => Baseline.parse(text, 'b.json')).toThrow(message);
    });
  }

  it('accepts the same entry line twice (what a union merge may write)', () => {
    const line = `,"${fp('1')}": {"ruleId": "r", "path": "p"}`;
    expect([...Baseline.parse(`{"secretscan-baseline": 1\n${line}\n${line}\n}\n`, 'b.json').entries.keys()]).toEqual([fp('1')]);
  });
});

describe('Baseline filter (the filters stage)', () => {
  const setup = prepareScan(defaultConfig('/repo'));
  const key = stripeSecretKey();
  const [match] = new Detector(setup.detector).scan(Buffer.from(`STRIPE_KEY=${key}\n`));
  const at = (p: string, line = 1): LocatedMatch => ({ ...match!, path: p, line, endLine: line });

  it('drops the baselined location of a finding, keeps its other locations, and counts what it dropped', () => {
    const baseline = new Baseline(new Map([[locationFingerprint(match!.ruleId, key, 'a/.env'), { ruleId: match!.ruleId, path: 'a/.env' }]]));
    const result = scanResult({ ...setup, baseline }, '/repo', [at('a/.env'), at('b/.env'), at('a/.env', 40)], [], {}, { files: 2, bytes: 0 }, performance.now());
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.locations.map((l) => l.path)).toEqual(['b/.env']);
    expect(result.suppressed).toEqual({ baseline: 2 });
  });

  it('keeps everything without a baseline', () => {
    const result = scanResult(setup, '/repo', [at('a/.env')], [], {}, { files: 1, bytes: 0 }, performance.now());
    expect(result.findings).toHaveLength(1);
    expect(result.suppressed).toEqual({});
  });
});

describe('Baseline files in git: two branches that each add an entry', () => {
  const FILE = '.secretscan-baseline.json';
  /** A repository whose main branch holds a baseline of entries 1, 4, 7, c; returns a merge helper. */
  function repoWithBaseline(name: string, attributes?: string) {
    const repo = new TestRepo(path.join(root, name));
    repo.commit('baseline', { [FILE]: baselineOf('1', '4', '7', 'c').serialize(), ...(attributes ? { '.gitattributes': attributes } : {}) });
    const onBranch = (branch: string, from: string, change: (b: Baseline) => void) => {
      repo.git('checkout', '-q', '-b', branch, from);
      const b = Baseline.parse(readFileSync(path.join(repo.dir, FILE), 'utf8'), FILE);
      change(b);
      writeFileSync(path.join(repo.dir, FILE), b.serialize());
      repo.commit(`baseline: ${branch}`);
    };
    /** Branch a and branch b change the baseline of main; b is merged into a. */
    const merge = (a: (b: Baseline) => void, b: (b: Baseline) => void) => {
      onBranch('a', 'main', a);
      onBranch('b', 'main', b);
      repo.git('checkout', '-q', 'a');
      const r = spawnSync('git', ['merge', '--no-edit', 'b'], { cwd: repo.dir, env: repo.env(), encoding: 'utf8' });
      return { ok: r.status === 0, output: r.stdout + r.stderr, text: () => readFileSync(path.join(repo.dir, FILE), 'utf8') };
    };
    return { repo, merge };
  }
  const add = (k: string) => (b: Baseline) => b.entries.set(fp(k), entry(k));
  const keysOf = (text: string) => [...Baseline.parse(text, FILE).entries.keys()];

  it('merges entries added at different places with a plain `git merge`, into a sorted valid baseline', () => {
    const { merge } = repoWithBaseline('plain');
    const m = merge(add('2'), add('9'));
    expect(m.ok, m.output).toBe(true);
    expect(m.text()).toBe(baselineOf('1', '2', '4', '7', '9', 'c').serialize());
  });

  it('merges an entry pruned on one branch with an entry added on the other', () => {
    const { merge } = repoWithBaseline('prune');
    const m = merge((b) => b.entries.delete(fp('4')), add('9'));
    expect(m.ok, m.output).toBe(true);
    expect(keysOf(m.text())).toEqual(['1', '7', '9', 'c'].map(fp));
  });

  it('merges entries added at both ends of the file: no entry line ever changes to make room', () => {
    const { merge } = repoWithBaseline('ends');
    const m = merge(add('0'), add('f'));
    expect(m.ok, m.output).toBe(true);
    expect(keysOf(m.text())).toEqual(['0', '1', '4', '7', 'c', 'f'].map(fp));
  });

  it('conflicts, with a plain merge, when both branches add an entry between the same two neighbours', () => {
    const { merge } = repoWithBaseline('adjacent');
    expect(merge(add('5'), add('6')).ok).toBe(false);
  });

  it('merges even neighbouring additions into a valid baseline with `merge=union` in .gitattributes', () => {
    const { repo, merge } = repoWithBaseline('union', `${FILE} merge=union\n`);
    const m = merge((b) => { add('5')(b); add('f')(b); }, (b) => { add('6')(b); add('e')(b); });
    expect(m.ok, m.output).toBe(true);
    expect(keysOf(m.text()).sort()).toEqual(['1', '4', '5', '6', '7', 'c', 'e', 'f'].map(fp));
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo.dir, encoding: 'utf8' })).toBe('');
  });

  it('with `merge=union`, turns one entry edited on both branches into a duplicate that secretscan refuses, not a silent pick', () => {
    const { merge } = repoWithBaseline('union-edit', `${FILE} merge=union\n`);
    const reason = (r: string) => (b: Baseline) => b.entries.set(fp('4'), entry('4', { reason: r }));
    const m = merge(reason('fixture'), reason('revoked'));
    expect(m.ok, m.output).toBe(true);
    expect(() => Baseline.parse(m.text(), FILE)).toThrow(/fingerprint 4{32} has two different entries/);
  });
});
