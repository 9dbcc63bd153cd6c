import { describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.js';
import { useTempDirs, writeTree } from '../support/tree.js';

// The CLI is strict and says what to do: every usage error is one line (plus a hint), exit 2.
const tempDir = useTempDirs();

function hintOf(stderr: string): string {
  return stderr.split('\n').find((l) => l.startsWith('  hint: ')) ?? '';
}

describe('options that take a value', () => {
  it.each([
    [['git', '--range'], /^secretscan: error: --range needs a value$/],
    [['git', '--range', ''], /--range needs a value, not an empty one/],
    [['dir', '.', '--format'], /--format needs a value/],
    [['dir', '.', '-f'], /-f needs a value/],
    [['dir', '.', '--config'], /--config needs a value/],
    [['dir', '.', '--config='], /--config needs a value, not an empty one/],
    [['dir', '.', '--output', '--verbose'], /--output needs a value/],
    [['dir', '.', '--baseline', ''], /--baseline needs a value, not an empty one/],
  ])('%j is a usage error', (args, message) => {
    const run = runCli(args as string[]);
    expectOneLineError(run, message);
    expect(hintOf(run.stderr)).toBe(`  hint: see secretscan ${(args as string[])[0]} --help`);
  });

  it('rejects numbers that are not, and switches given a value', () => {
    expectOneLineError(runCli(['dir', '.', '--threads', 'abc']), /--threads needs a number, not "abc"/);
    expectOneLineError(runCli(['git', '.', '--threads=many']), /--threads needs a number, not "many"/);
    expectOneLineError(runCli(['dir', '.', '--verbose=maybe']), /--verbose is a switch: it takes no value \(or =true, =false\), not "maybe"/);
  });

  it('still takes the forms that are right', () => {
    const root = tempDir();
    writeTree(root, { 'a.txt': 'nothing\n' });
    for (const args of [['--verbose=true'], ['--no-fail'], ['--threads', '2'], ['-f', 'json'], ['--format=json'], ['--no-config'], ['--max-file-size', '2MB']]) {
      const run = runCli(['dir', root, ...args]);
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
  });
});

describe('did you mean', () => {
  it('suggests the command for a mistyped one', () => {
    const run = runCli(['dri', '.']);
    expectOneLineError(run, /^secretscan: error: unknown command "dri": did you mean dir\?$/);
    expect(hintOf(run.stderr)).toBe('  hint: see secretscan --help');
  });

  it('suggests the option for a mistyped one, as typed, and points to the command\'s help', () => {
    const run = runCli(['dir', '--formt', 'json', '.']);
    expectOneLineError(run, /^secretscan: error: dir has no option --formt: did you mean --format\?$/);
    expect(hintOf(run.stderr)).toBe('  hint: see secretscan dir --help');
    expectOneLineError(runCli(['dir', '.', '--no-fial']), /dir has no option --no-fial: did you mean --no-fail\?$/);
    expectOneLineError(runCli(['git', '--stagd']), /git has no option --stagd: did you mean --staged\?$/);
  });
});

describe('plain messages', () => {
  it('for missing required arguments', () => {
    expectOneLineError(runCli(['image']), /^secretscan: error: image: name the image: /);
    expectOneLineError(runCli(['merge']), /^secretscan: error: merge: name the JSON reports to merge/);
    expectOneLineError(runCli([]), /^secretscan: error: name a command: dir, stdin, git/);
  });

  it('for a bad size, a bad choice and options that exclude each other', () => {
    for (const run of [runCli(['dir', '.', '--max-file-size', '10XB']), runCli(['dir', '.', '-f', 'xml']), runCli(['git', '--range', 'a..b', '--branch', 'main'])]) {
      expect(run.stderr).not.toMatch(/top level|Argument:|Choices:|mutually exclusive/);
    }
    expectOneLineError(runCli(['dir', '.', '--max-file-size', '10XB']), /^secretscan: error: --max-file-size needs a size such as 10MB, 512KB or a number of bytes, not "10XB"$/);
    expectOneLineError(runCli(['dir', '.', '-f', 'xml']), /^secretscan: error: --format must be one of text, json, sarif, junit, csv, github, html; not "xml"$/);
    expectOneLineError(runCli(['git', '--range', 'a..b', '--branch', 'main']), /^secretscan: error: --range and --branch cannot be used together$/);
  });

  it('for a registry that does not resolve: no --insecure advice', () => {
    const run = runCli(['image', 'docker://registry.secretscan-test.invalid/app:1', '--no-config']);
    expectOneLineError(run, /cannot reach registry registry\.secretscan-test\.invalid/);
    expect(run.stderr).not.toContain('--insecure');
    expect(hintOf(run.stderr)).toMatch(/check the registry name \(registry\.secretscan-test\.invalid\) and that this machine can resolve it/);
  });
});

describe('--help', () => {
  it('shows the --no- forms the README documents', () => {
    const help = runCli(['dir', '--help']).stdout;
    for (const form of ['--no-fail', '--no-decode', '--no-ignore', '--no-config', '--no-baseline', '--no-color']) expect(help).toContain(form);
  });

  it('does not show merge\'s reports both required and defaulted', () => {
    const help = runCli(['merge', '--help']).stdout;
    expect(help).toMatch(/reports .*\n.*\[array\] \[required\]\n/);
    expect(help).not.toMatch(/\[required\] \[default/);
  });
});
