import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readGitleaksFile } from '../../src/gitleaks/config-file.js';
import { importGitleaks } from '../../src/gitleaks/import.js';
import { loadBuiltinRules } from '../../src/rules/builtin.js';
import { useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();

function tomlFile(text: string): string {
  const dir = tempDir();
  writeTree(dir, { 'gitleaks.toml': text });
  return path.join(dir, 'gitleaks.toml');
}

const builtinIds = new Set(loadBuiltinRules().rules.map((r) => r.id));

describe('readGitleaksFile', () => {
  it('reads rules, the older [rules.allowlist] beside [[rules.allowlists]], and keys in any case', () => {
    const file = tomlFile(`
[[rules]]
ID = "one"
regex = '''one-([a-z]{8})'''
SecretGroup = 1
Keywords = ["ONE-"]
entropy = 2.5
  [rules.allowlist]
  regexes = ['''x''']
  [[rules.allowlists]]
  condition = "and"
  regexTarget = "Match"
  stopwords = ["Fake"]
  paths = ['''^test/''']
`);
    const parsed = readGitleaksFile(file);
    expect(parsed.warnings).toEqual([]);
    const [rule] = parsed.rules;
    expect(rule).toMatchObject({ id: 'one', secretGroup: 1, keywords: ['one-'], entropy: 2.5 });
    expect(rule!.allowlists.map((a) => [a.condition, a.regexTarget, a.stopwords])).toEqual([
      ['OR', 'secret', []],
      ['AND', 'match', ['fake']],
    ]);
  });

  it('skips malformed or unsupported rules with a warning each, and keeps the rest', () => {
    const file = tomlFile(`
[[rules]]
description = "no id"
regex = 'a'
[[rules]]
id = "composite"
regex = '''b([0-9]+)'''
  [[rules.required]]
  id = "other"
[[rules]]
id = "bad-target"
regex = '''c([0-9]+)'''
  [[rules.allowlists]]
  regexTarget = "commit"
  regexes = ['x']
[[rules]]
id = "ok"
regex = '''d([0-9]+)'''
colour = "blue"
`);
    const parsed = readGitleaksFile(file);
    expect(parsed.rules.map((r) => r.id)).toEqual(['ok']);
    expect(parsed.warnings.map((w) => w.message)).toEqual([
      'rule skipped: id: required',
      'rule skipped: composite rules ([[rules.required]]) are not supported',
      'rule skipped: allowlists[0].regexTarget: expected "secret", "match" or "line"',
      'unknown key "colour" ignored',
    ]);
    expect(parsed.warnings[3]).toMatchObject({ ruleId: 'ok', source: `${file} rules[3] (ok)` });
  });

  it('rejects a file that is not TOML, naming the file and line', () => {
    const file = tomlFile('[[rules]]\nid = "x"\nregex = \'\'\'unterminated\n');
    expect(() => readGitleaksFile(file)).toThrow(UserError);
    expect(() => readGitleaksFile(file)).toThrow(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:\\d+(:\\d+)?: not valid TOML`));
  });
});

describe('importGitleaks', () => {
  it('maps rules onto ours and reports each one RE2 cannot compile, by id and reason', () => {
    const file = tomlFile(`
[[rules]]
id = "whole-match"
regex = '''tok_[a-z]{8}'''
[[rules]]
id = "backref"
regex = '''(a)\\1'''
[[rules]]
id = "group-out-of-range"
regex = '''x([0-9]+)'''
secretGroup = 2
[[rules]]
id = "bad-path"
regex = '''y([0-9]+)'''
path = '''(?<=src)/'''
`);
    const imported = importGitleaks([{ file, severity: 'medium' }], builtinIds);
    expect(imported.rules.map((r) => [r.id, r.pattern, r.severity, r.provider])).toEqual([
      // No capture group: gitleaks reports the whole match, so the pattern gets one around it.
      ['whole-match', '(tok_[a-z]{8})', 'medium', 'gitleaks'],
    ]);
    expect(imported.warnings.map((w) => [w.ruleId, w.message.replace(/ \(.*$/, '')])).toEqual([
      ['backref', 'rule skipped: regex is not RE2 syntax'],
      ['group-out-of-range', 'rule skipped: secretGroup 2 but the regex has 1 capture group(s)'],
      ['bad-path', 'rule skipped: path is not RE2 syntax'],
    ]);
    expect(imported.warnings[0]!.message).toContain('invalid escape sequence: \\1');
  });

  it('a later file replaces a rule of the same id; an id-only entry adds allowlists to it', () => {
    const first = tomlFile(`[[rules]]\nid = "r"\nregex = '''a([0-9]+)'''\n`);
    const second = tomlFile(`[[rules]]\nid = "r"\nregex = '''b([0-9]+)'''\n[[rules]]\nid = "r"\n  [[rules.allowlists]]\n  stopwords = ["test"]\n`);
    const imported = importGitleaks([{ file: first }, { file: second }], builtinIds);
    expect(imported.rules.map((r) => r.pattern)).toEqual(['b([0-9]+)']);
    expect(imported.gates.get('r')?.allowlists).toHaveLength(1);
    expect(imported.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/is defined again: this definition replaces the one in .*rules\[0\]/)]);
  });
});

describe('importGitleaks rule ids', () => {
  it('a redefined default gitleaks rule names both the imported rule and the built-in equivalents', () => {
    const file = tomlFile(`[[rules]]\nid = "gitlab-pat"\nregex = '''glpat-[0-9a-zA-Z_-]{20}'''\nkeywords = ["glpat-"]\n`);
    const imported = importGitleaks([{ file }], builtinIds);
    expect(imported.ruleIds.get('gitlab-pat')).toEqual(['gitlab-pat', 'gitlab-personal-access-token']);
    expect(imported.ruleIds.get('gcp-api-key')).toEqual(['google-api-key']);
  });
});
