import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkHistory, type CommitInfo, type TreeChange } from '../../src/sources/git-log.js';
import { gitEnv, type GitRepo } from '../../src/sources/git-repo.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-walk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
const hash = (text: string) => execFileSync('git', ['hash-object', '--stdin'], { input: text, encoding: 'utf8' }).trim();

describe('walkHistory', () => {
  it('reports added and changed files with their previous versions, skips deletions and submodules, and finds what a merge adds', async () => {
    git('init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    writeFileSync(path.join(dir, 'gone.txt'), 'bye\n');
    writeFileSync(path.join(dir, 'caf\u00e9 x.txt'), 'accent\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first\n\nbody line');
    writeFileSync(path.join(dir, 'a.txt'), 'two\n');
    git('rm', '-q', 'gone.txt');
    git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},sub`);
    git('commit', '-q', '-am', 'second  subject\nwraps');
    git('checkout', '-q', '-b', 'side', 'HEAD~1');
    writeFileSync(path.join(dir, 'b.txt'), 'side\n');
    git('add', 'b.txt');
    git('commit', '-q', '-m', 'side');
    git('checkout', '-q', 'main');
    git('merge', '-q', '--no-commit', 'side');
    writeFileSync(path.join(dir, 'a.txt'), 'evil\n');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'merge');

    const repo: GitRepo = { root: dir, env: gitEnv() } as GitRepo;
    const commits: CommitInfo[] = [];
    const changes: TreeChange[] = [];
    const n = await walkHistory(repo, ['--all'], new AbortController().signal, {
      commit: (c) => commits.push(c),
      change: (ch) => changes.push(ch),
    });
    expect(n).toBe(4);
    expect(commits.map((c) => c.subject)).toEqual(['first', 'second  subject wraps', 'side', 'merge']);
    expect(commits[3]!.parents).toHaveLength(2);
    const seen = changes.map((ch) => [ch.commit.subject, ch.path, ch.mode, ch.blob, ch.previous]);
    expect(seen).toEqual([
      ['first', 'a.txt', '100644', hash('one\n'), null],
      ['first', 'caf\u00e9 x.txt', '100644', hash('accent\n'), null],
      ['first', 'gone.txt', '100644', hash('bye\n'), null],
      ['second  subject wraps', 'a.txt', '100644', hash('two\n'), hash('one\n')],
      ['side', 'b.txt', '100644', hash('side\n'), null],
      ['merge', 'a.txt', '100644', hash('evil\n'), hash('two\n')],
    ]);
    // One string per distinct path across commits.
    expect(changes[0]!.path).toBe(changes[3]!.path);
  });
});
