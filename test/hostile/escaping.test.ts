// Hostile battery, part 3: control characters in file names, commit subjects, labels, secrets and
// merged reports never reach a terminal or a log raw, in any human-facing format.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git } from '../support/tree.js';
import { githubToken, stripeSecretKey } from '../support/fake-keys.js';
import { expectContained, runHostile, Sandbox } from './harness.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.remove();
});

const KEY = stripeSecretKey();
const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;owned\u0007';

function box(name: string, files: Record<string, string>, commit?: string): Sandbox {
  const b = new Sandbox(name);
  boxes.push(b);
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(b.work, rel), text);
  if (commit !== undefined) {
    git(b.work, 'init', '-q');
    git(b.work, 'add', '-A');
    git(b.work, 'commit', '-qm', commit);
  }
  b.snapshot();
  return b;
}

describe('hostile: control characters in names', () => {
  const names: [string, string][] = [
    ['ESC clear-screen', `a${CLEAR}b.env`],
    ['OSC window title', `t${TITLE}.env`],
    ['BEL and CR', 'bell\u0007\rcr.env'],
    ['a C1 CSI (U+009B)', 'c1\u009b2J.env'],
  ];
  for (const [what, name] of names) {
    for (const format of ['text', 'csv', 'github']) {
      it(`dir -f ${format}: a file name with ${what} is scanned and shown escaped`, () => {
        const b = box(`name-${format}-${what}`, { [name]: `STRIPE_SECRET_KEY=${KEY}\n` });
        const run = runHostile(b, ['dir', '.', '-f', format]);
        expectContained(b, run, { status: 1, secrets: [KEY] });
        expect(run.stdout).toMatch(/\\x(1b|07|0d|9b)/);
      });
    }
  }

  it('dir -f junit: a file name with ESC stays well-formed XML without the raw byte', () => {
    const b = box('name-junit', { [`j${CLEAR}.env`]: `STRIPE_SECRET_KEY=${KEY}\n` });
    expectContained(b, runHostile(b, ['dir', '.', '-f', 'junit']), { status: 1, secrets: [KEY] });
  });

  it('--verbose: a skipped binary file with ESC in its name is listed escaped', () => {
    const b = box('name-verbose', { [`bin${CLEAR}.dat`]: 'MZ\u0000\u0000binary', 'ok.txt': 'fine\n' });
    const run = runHostile(b, ['dir', '.', '--verbose']);
    expectContained(b, run, { status: 0 });
    expect(run.stdout).toContain('bin\\x1b[2J.dat: binary');
  });

  it('an error naming a file with ESC in its name stays one escaped line', () => {
    const b = box('name-error', {});
    const run = runHostile(b, ['dir', '.', '--config', `missing${CLEAR}.yml`]);
    expectContained(b, run, { status: 2, error: /missing\\x1b\[2J\.yml: no such file/ });
  });
});

describe('hostile: control characters in what git and the user supply', () => {
  it('git: a commit subject with ESC and OSC is shown escaped', () => {
    const b = box('subject', { 'app.env': `STRIPE_SECRET_KEY=${KEY}\n` }, `add config ${CLEAR}${TITLE}`);
    const run = runHostile(b, ['git', '.']);
    expectContained(b, run, { status: 1, secrets: [KEY] });
    expect(run.stdout).toContain('\\x1b[2J');
  });

  it('stdin --label with ESC is shown escaped', () => {
    const b = box('label', {});
    const run = runHostile(b, ['stdin', '--label', `in${CLEAR}put`], { input: `STRIPE_SECRET_KEY=${KEY}\n` });
    expectContained(b, run, { status: 1, secrets: [KEY] });
    expect(run.stdout).toContain('in\\x1b[2Jput');
  });

  /** A rule (inline in the config) whose secrets may hold any byte, as an imported rule may. */
  const anyByteRule = 'rules:\n  - provider: acme\n    name: Acme\n    revocation: {urgency: rotate, summary: rotate it, url: null, steps: [rotate it in the console], api: null, after: [check the logs]}\n' +
    '    rules:\n      - id: acme-any\n        name: Acme token\n        severity: high\n        keywords: [acmetoken]\n        pattern: "acmetoken=([^\\\\n]{16,40})"\n' +
    '        examples: ["acmetoken=abcdefghijklmnopqrst"]\n        negative_examples: ["acmetoken=short"]\n';
  for (const shown of [false, true]) {
    it(`a secret that begins with ESC[2J is shown escaped${shown ? ' with --show-secrets' : ' in its redacted prefix'}`, () => {
      const secret = `${CLEAR}Zq8rT2mW9xK4vB7n`;
      const b = box(`secret-esc-${shown}`, { '.secretscanrc': anyByteRule, 'app.txt': `acmetoken=${secret}\n` });
      const run = runHostile(b, ['dir', '.', ...(shown ? ['--show-secrets'] : [])]);
      expectContained(b, run, { status: 1, secrets: shown ? [] : ['Zq8rT2mW9xK4vB7n'] });
      expect(run.stdout).toContain('\\x1b[2J');
    });
  }

  it('merge: a report whose fields hold ESC is shown escaped (text and warnings)', () => {
    const b = box('merged', { 'app.env': `GITHUB_TOKEN=${githubToken()}\n` });
    const scan = runHostile(b, ['dir', '.', '-f', 'json', '-o', '../r.json']);
    expect(scan.status).toBe(1);
    const file = path.join(b.root, 'r.json');
    const report = JSON.parse(readFileSync(file, 'utf8'));
    report.findings[0].ruleName = `Evil${CLEAR}`;
    report.findings[0].locations[0].path = `p${TITLE}.env`;
    report.warnings = [{ kind: 'rules-from', source: `s${CLEAR}`, message: `m${TITLE}` }];
    writeFileSync(file, JSON.stringify(report));
    b.snapshot();
    const run = runHostile(b, ['merge', '../r.json']);
    expectContained(b, run, { status: 1 });
    expect(run.stdout).toContain('Evil\\x1b[2J');
    expect(run.stdout).toContain('p\\x1b]0;owned\\x07.env');
  });
});

