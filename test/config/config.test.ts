import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_SIZE, findConfig, loadConfig, readConfig } from '../../src/config/config.js';
import { UserError } from '../../src/errors.js';
import { prepareScan } from '../../src/scan/engine.js';
import { useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();
const FILE = '/repo/.secretscanrc';

/** The UserError that `fn` throws (failing the test if it throws something else or nothing). */
function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError, got none');
}

/** A provider block as a user would write it inline in .secretscanrc. */
function inlineProvider(rule: Record<string, unknown>) {
  return {
    provider: 'acme',
    name: 'Acme',
    revocation: { urgency: 'rotate', summary: 'Rotate it in the Acme console.', steps: ['Open Settings → Keys.'], after: ['Check the audit log.'] },
    rules: [{ name: 'Acme key', severity: 'high', keywords: ['acme_'], ...rule }],
  };
}

describe('readConfig: what it accepts', () => {
  it('gives defaults for an empty file', () => {
    const c = readConfig({}, FILE);
    expect(c).toMatchObject({ file: FILE, baseDir: '/repo', allowPaths: [], allowRegexes: [], stopwords: [], disabledRules: [], maxFileSize: DEFAULT_MAX_FILE_SIZE, failOn: 'low', decode: true });
  });

  it('reads allow-paths, allow-regexes, stopwords and disable-rules', () => {
    const c = readConfig(
      {
        'allow-paths': ['test/fixtures/**', '**/*.snap'],
        'allow-regexes': ['^sk_test_'],
        stopwords: ['DUMMY', 'Fake'],
        'disable-rules': ['jwt-token'],
      },
      FILE,
    );
    expect(c.allowPaths).toEqual(['test/fixtures/**', '**/*.snap']);
    expect(c.allowRegexes).toEqual(['^sk_test_']);
    expect(c.stopwords).toEqual(['dummy', 'fake']); // matched case-insensitively
    expect(c.disabledRules).toEqual(['jwt-token']);
  });

  it('reads max-file-size as a number of bytes or with a unit', () => {
    expect(readConfig({ 'max-file-size': 2048 }, FILE).maxFileSize).toBe(2048);
    expect(readConfig({ 'max-file-size': '512KB' }, FILE).maxFileSize).toBe(512 * 1024);
    expect(readConfig({ 'max-file-size': '10MB' }, FILE).maxFileSize).toBe(10 * 1024 * 1024);
    expect(readConfig({ 'max-file-size': '1.5m' }, FILE).maxFileSize).toBe(1.5 * 1024 * 1024);
    expect(readConfig({ 'max-file-size': '1GiB' }, FILE).maxFileSize).toBe(1024 ** 3);
  });

  it('reads fail-on, decode and an entropy gate', () => {
    const c = readConfig({ 'fail-on': 'critical', decode: false, entropy: { relative: 0.7, any: 3 } }, FILE);
    expect(c).toMatchObject({ failOn: 'critical', decode: false, entropy: { relative: 0.7, any: 3 } });
    expect(readConfig({ entropy: 3.5 }, FILE).entropy).toBe(3.5);
  });

  it('reads inline rules in the rule-file format', () => {
    const c = readConfig({ rules: [inlineProvider({ id: 'acme-key', pattern: '\\b(acme_[0-9a-f]{32})\\b' })] }, FILE);
    expect(c.extraRules.map((r) => [r.id, r.provider, r.severity])).toEqual([['acme-key', 'acme', 'high']]);
  });
});

describe('readConfig: errors name the file and the key', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an unknown key', { 'allow-path': ['x'] }, /unknown key "allow-path"/],
    ['a misspelt nested key', { entropy: { relatve: 0.5 } }, /unknown key "entropy\.relatve"/],
    ['a bad size', { 'max-file-size': 'huge' }, /max-file-size: expected a size/],
    ['a negative size', { 'max-file-size': -5 }, /max-file-size/],
    ['an unknown severity', { 'fail-on': 'severe' }, /fail-on: expected one of info, low, medium, high, critical/],
    ['a string where a list belongs', { stopwords: 'test' }, /stopwords: expected a list/],
    ['an empty pattern in a list', { 'allow-regexes': [''] }, /allow-regexes\[0\]: expected a non-empty string/],
    ['a relative entropy above 1', { entropy: { relative: 2 } }, /entropy\.relative: expected a number between 0 and 1/],
    ['a string for decode', { decode: 'yes' }, /decode: expected true or false/],
    ['a list at the top level', ['allow-paths'], /\(top level\): expected a mapping/],
  ];
  for (const [what, data, message] of cases) {
    it(`rejects ${what}`, () => {
      const e = userError(() => readConfig(data, FILE));
      expect(e.message).toContain(FILE);
      expect(e.message).toMatch(message);
    });
  }

  it('lists the allowed keys with an unknown one', () => {
    expect(userError(() => readConfig({ alow: 1 }, FILE)).message).toContain('allow-paths');
  });

  it('names the inline rule and its key when a rule is malformed', () => {
    const e = userError(() => readConfig({ rules: [inlineProvider({ id: 'acme-key', pattern: '(acme_\\w+)', severity: 'urgent' })] }, FILE));
    expect(e.message).toContain(FILE);
    expect(e.message).toContain('rules[0].severity');
  });
});

describe('loadConfig', () => {
  it('reads YAML and resolves paths against the folder of the file', () => {
    const dir = tempDir();
    writeTree(dir, { '.secretscanrc': 'allow-paths:\n  - fixtures/**\nmax-file-size: 1MB\n' });
    const c = loadConfig(path.join(dir, '.secretscanrc'));
    expect(c).toMatchObject({ baseDir: dir, allowPaths: ['fixtures/**'], maxFileSize: 1024 * 1024 });
  });

  it('reads JSON', () => {
    const dir = tempDir();
    writeTree(dir, { '.secretscanrc.json': JSON.stringify({ 'fail-on': 'high', stopwords: ['dummy'] }) });
    expect(loadConfig(path.join(dir, '.secretscanrc.json'))).toMatchObject({ failOn: 'high', stopwords: ['dummy'] });
  });

  it('reads rule files listed by path, relative to the config', () => {
    const dir = tempDir();
    writeTree(dir, {
      'security/acme.yml': JSON.stringify(inlineProvider({ id: 'acme-key', pattern: '\\b(acme_[0-9a-f]{32})\\b' })),
      '.secretscanrc': 'rules:\n  - security/acme.yml\n',
    });
    expect(loadConfig(path.join(dir, '.secretscanrc')).extraRules.map((r) => r.id)).toEqual(['acme-key']);
  });

  it('names the file when it is not valid YAML', () => {
    const dir = tempDir();
    const file = path.join(dir, '.secretscanrc');
    writeFileSync(file, 'allow-paths: [unclosed\n');
    const e = userError(() => loadConfig(file));
    expect(e.message).toContain(file);
    expect(e.message).not.toContain('\n');
  });

  it('names the file when an unknown key is in it', () => {
    const dir = tempDir();
    const file = path.join(dir, '.secretscanrc');
    writeFileSync(file, 'allowlist:\n  - x\n');
    expect(userError(() => loadConfig(file)).message).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: unknown key "allowlist"`));
  });

  it('says so when the file cannot be read', () => {
    const file = path.join(tempDir(), 'missing.yml');
    expect(userError(() => loadConfig(file)).message).toMatch(/cannot read config .*missing\.yml: no such file \(ENOENT\)/);
  });

  for (const [what, pattern] of [
    ['a backreference', '(a)\\1'],
    ['a lookahead', '(?=x)(acme_\\w+)'],
  ] as const) {
    it(`refuses an inline rule whose pattern has ${what} before any scan, naming the rule`, () => {
      const dir = tempDir();
      const file = path.join(dir, '.secretscanrc.json');
      writeFileSync(file, JSON.stringify({ rules: [inlineProvider({ id: 'acme-broken', pattern })] }));
      const e = userError(() => prepareScan(loadConfig(file)));
      expect(e.message).toContain('acme-broken');
      expect(e.message).toContain(file);
      expect(e.message).toMatch(/RE2/);
      expect(e.hint).toMatch(/backreferences or lookaround/);
    });
  }

  it('refuses a pattern RE2 cannot read the same way when the rule also names an entropy_group', () => {
    // The group count (for entropy_group) must not run into the broken pattern first.
    const dir = tempDir();
    const file = path.join(dir, '.secretscanrc.json');
    const rule = { id: 'acme-broken', pattern: '(acme_[0-9]{9}_([0-9a-z]{16})\\b', min_entropy: 3, entropy_group: 2 };
    writeFileSync(file, JSON.stringify({ rules: [inlineProvider(rule)] }));
    const e = userError(() => prepareScan(loadConfig(file)));
    expect(e.message).toContain('acme-broken');
    expect(e.message).toMatch(/not valid RE2 syntax/);
  });
});

describe('findConfig', () => {
  it('finds the config in the folder itself', () => {
    const dir = tempDir();
    writeTree(dir, { '.secretscanrc.yml': '{}\n' });
    expect(findConfig(dir)).toBe(path.join(dir, '.secretscanrc.yml'));
  });

  it('walks upward to the nearest config', () => {
    const dir = tempDir();
    writeTree(dir, { '.secretscanrc': '{}\n', 'packages/api/.secretscanrc.json': '{}\n' });
    mkdirSync(path.join(dir, 'packages/api/src/routes'), { recursive: true });
    mkdirSync(path.join(dir, 'packages/web/src'), { recursive: true });
    expect(findConfig(path.join(dir, 'packages/api/src/routes'))).toBe(path.join(dir, 'packages/api/.secretscanrc.json'));
    expect(findConfig(path.join(dir, 'packages/web/src'))).toBe(path.join(dir, '.secretscanrc'));
  });

  it('prefers .secretscanrc over its .yml, .yaml and .json variants in one folder', () => {
    const dir = tempDir();
    writeTree(dir, { '.secretscanrc.json': '{}', '.secretscanrc.yml': '{}', '.secretscanrc': '{}' });
    expect(findConfig(dir)).toBe(path.join(dir, '.secretscanrc'));
  });

  it('starts from the folder of a file target', () => {
    const dir = tempDir();
    writeTree(dir, { '.secretscanrc': '{}\n', 'src/app.ts': 'export {};\n' });
    expect(findConfig(path.join(dir, 'src/app.ts'))).toBe(path.join(dir, '.secretscanrc'));
  });
});
