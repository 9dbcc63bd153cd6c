import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { warningLines } from '../../src/cli/warnings.js';
import { GitleaksIgnore, readIgnoreFile } from '../../src/gitleaks/ignore-file.js';
import { gitleaksIdTable } from '../../src/gitleaks/rule-ids.js';
import { loadBuiltinRules } from '../../src/rules/builtin.js';
import type { LocatedMatch } from '../../src/findings/group.js';
import { useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();
const SHA = 'cd5226711335c68be1e720b318b7bc3135a30eb2';

function ignoreFile(lines: string[]): string {
  const dir = tempDir();
  writeTree(dir, { '.gitleaksignore': `${lines.join('\n')}\n` });
  return path.join(dir, '.gitleaksignore');
}

const match = (over: Partial<LocatedMatch>): LocatedMatch => ({
  ruleId: 'stripe-live-secret-key', secret: 's', line: 3, column: 1, endLine: 3, endColumn: 2, entropy: 0, lineText: '', path: 'a/b.env', ...over,
});

describe('.gitleaksignore', () => {
  it('reads commit and file fingerprints, Windows paths, paths holding a colon; skips comments', () => {
    const { entries, warnings } = readIgnoreFile(ignoreFile([
      '# a comment', '', `${SHA}:cmd/config.go:sidekiq-secret:23`, 'src\\app\\.env:generic-api-key:4', 'C:odd/name.txt:jwt:9', 'no-line-number:rule:x', 'two:parts',
    ]));
    expect(entries.map(({ commit, file, ruleId, line }) => [commit, file, ruleId, line])).toEqual([
      [SHA, 'cmd/config.go', 'sidekiq-secret', 23],
      [null, 'src/app/.env', 'generic-api-key', 4],
      [null, 'C:odd/name.txt', 'jwt', 9],
    ]);
    expect(warnings.map((w) => w.source.split(':').at(-1))).toEqual(['6', '7']);
  });

  it('suppresses built-in findings through the id table; file entries in any commit, commit entries in theirs', () => {
    const { entries } = readIgnoreFile(ignoreFile([`${SHA}:a/b.env:stripe-access-token:3`, 'c.env:gcp-api-key:1', 'd.env:pkcs12-file:1']));
    const active = new Set(loadBuiltinRules().rules.map((r) => r.id));
    const ignore = new GitleaksIgnore(entries, gitleaksIdTable(), active);
    expect(ignore.suppresses(match({ origin: { commit: SHA } }))).toBe(true);
    expect(ignore.suppresses(match({ ruleId: 'stripe-test-restricted-key', origin: { commit: SHA.toUpperCase() } }))).toBe(true);
    expect(ignore.suppresses(match({ origin: { commit: 'ffff' } }))).toBe(false);
    expect(ignore.suppresses(match({}))).toBe(false);
    expect(ignore.suppresses(match({ line: 4, origin: { commit: SHA } }))).toBe(false);
    expect(ignore.suppresses(match({ ruleId: 'google-api-key', path: 'c.env', line: 1, origin: { commit: 'any' } }))).toBe(true);
    expect(ignore.warnings.map((w) => w.ruleId)).toEqual(['pkcs12-file']);
  });

  it('reports an entry whose rules are all disabled', () => {
    const { entries } = readIgnoreFile(ignoreFile(['c.env:gcp-api-key:1']));
    const ignore = new GitleaksIgnore(entries, gitleaksIdTable(), new Set(['stripe-live-secret-key']));
    expect(ignore.warnings[0]?.message).toMatch(/rules it maps to \(google-api-key\) are disabled/);
  });
});

describe('.gitleaksignore warnings on stderr', () => {
  it('gathers the entries of one file that one reason leaves unapplied into one line, with their line numbers', () => {
    const file = ignoreFile([...Array.from({ length: 12 }, (_, i) => `f${i}.js:discord-api-token:${i + 1}`), 'g.js:pkcs12-file:1', 'h.js:gcp-api-key:2']);
    const { entries } = readIgnoreFile(file);
    const ignore = new GitleaksIgnore(entries, gitleaksIdTable(), new Set(['stripe-live-secret-key']));
    expect(ignore.warnings).toHaveLength(14);
    const lines = warningLines(ignore.warnings);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`${file}:1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (12 lines): ${ignore.warnings[0]!.message}`);
    expect(lines[1]).toMatch(/:13: not applied: "pkcs12-file"/);
    expect(lines[2]).toMatch(/:14: not applied: the rules it maps to \(google-api-key\) are disabled/);
    expect(warningLines([{ source: '--rules-from a.toml', message: 'x' }, { source: 'b:2', message: 'y' }, { source: 'b:5', message: 'y' }])).toEqual(['--rules-from a.toml: x', 'b:2, 5 (2 lines): y']);
  });

  it('escapes control characters in the file name and the message', () => {
    expect(warningLines([{ source: 'a\x1b[31m:3', message: 'rule "\x07"' }])[0]).not.toMatch(/[\x00-\x1f]/);
  });
});

describe('rules/_gitleaks-ids.yml', () => {
  it('names only rules that exist', () => {
    const ids = new Set(loadBuiltinRules().rules.map((r) => r.id));
    for (const [gitleaksId, ours] of gitleaksIdTable()) {
      expect(ours.length, gitleaksId).toBeGreaterThan(0);
      for (const id of ours) expect(ids.has(id), `${gitleaksId} → ${id}`).toBe(true);
    }
  });
});
