import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { validateSarif } from '../support/sarif-multitool.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

// versionControlProvenance from the built CLI, for git and dir scans, checked by Sarif.Multitool.
const tempDir = useTempDirs();

function repoWithOrigin(origin: string): { dir: string; head: string } {
  const dir = tempDir();
  git(dir, 'init', '-q');
  writeTree(dir, { 'app/.env': `STRIPE_SECRET_KEY=${stripeSecretKey()}\n` });
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'add config');
  git(dir, 'remote', 'add', 'origin', origin);
  return { dir, head: git(dir, 'rev-parse', 'HEAD').trim() };
}

function sarifOf(args: string[], dir: string) {
  const file = path.join(dir, '..', `${path.basename(dir)}.sarif`);
  const run = runCli([...args, '--no-config', '-f', 'sarif', '-o', file, '--quiet']);
  expect(run.status, run.stderr).toBe(1);
  return { file, log: JSON.parse(readFileSync(file, 'utf8')) };
}

describe('SARIF versionControlProvenance', () => {
  it('names origin without credentials, HEAD and the branch for a git scan, and validates', () => {
    const { dir, head } = repoWithOrigin('https://ci-bot:tok3n-value@github.com/acme/app.git');
    const { file, log } = sarifOf(['git', dir], dir);
    expect(log.runs[0].versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/app.git', revisionId: head, branch: 'main', mappedTo: { uriBaseId: 'SRCROOT' } },
    ]);
    expect(readFileSync(file, 'utf8')).not.toContain('tok3n-value');
    const errors = validateSarif(file).filter((r) => r.level === 'error');
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  }, 60_000);

  it('is there for a dir scan of a folder inside a work tree, without mappedTo', () => {
    const { dir, head } = repoWithOrigin('git@github.com:acme/app.git');
    const { file, log } = sarifOf(['dir', path.join(dir, 'app')], dir);
    expect(log.runs[0].versionControlProvenance).toEqual([{ repositoryUri: 'https://github.com/acme/app.git', revisionId: head, branch: 'main' }]);
    const errors = validateSarif(file).filter((r) => r.level === 'error');
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  }, 60_000);

  it('survives sharded JSON reports merged into SARIF', () => {
    const { dir, head } = repoWithOrigin('https://github.com/acme/app.git');
    const files = [1, 2].map((k) => {
      const run = runCli(['git', dir, '--no-config', '-f', 'json', '--shard', `${k}/2`, '--no-fail']);
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).vcs).toMatchObject({ repositoryUri: 'https://github.com/acme/app.git', revisionId: head });
      const file = path.join(dir, '..', `${path.basename(dir)}-${k}.json`);
      writeFileSync(file, run.stdout);
      return file;
    });
    const merged = runCli(['merge', ...files, '--no-config', '-f', 'sarif']);
    expect(merged.status, merged.stderr).toBe(1);
    expect(JSON.parse(merged.stdout).runs[0].versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/app.git', revisionId: head, branch: 'main', mappedTo: { uriBaseId: 'SRCROOT' } },
    ]);
  });

  it('is absent when origin is not a URI (scp-style on an unknown host), so the log stays valid', () => {
    const { dir } = repoWithOrigin('git@git.example.com:acme/app.git');
    const { file, log } = sarifOf(['git', dir], dir);
    expect(log.runs[0].versionControlProvenance).toBeUndefined();
    expect(validateSarif(file).filter((r) => r.level === 'error')).toEqual([]);
  }, 60_000);

  it('is absent outside a repository', () => {
    const dir = tempDir();
    writeTree(dir, { '.env': `STRIPE_SECRET_KEY=${stripeSecretKey()}\n` });
    expect(sarifOf(['dir', dir], dir).log.runs[0].versionControlProvenance).toBeUndefined();
  });
});
