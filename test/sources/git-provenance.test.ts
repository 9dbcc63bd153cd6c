import { describe, expect, it } from 'vitest';
import { publishableRemote, readVersionControl } from '../../src/sources/git-provenance.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();

describe('publishableRemote', () => {
  it('drops https credentials, user name included', () => {
    expect(publishableRemote('https://alice:s3cr3t@github.com/o/r.git')).toBe('https://github.com/o/r.git');
    expect(publishableRemote('https://x-access-token@example.com/o/r')).toBe('https://example.com/o/r');
    expect(publishableRemote('http://u:p@host.internal:8080/r')).toBe('http://host.internal:8080/r');
  });

  it('keeps the user of ssh URLs but never a password', () => {
    expect(publishableRemote('ssh://git:pw@git.example.com:2222/o/r.git')).toBe('ssh://git@git.example.com:2222/o/r.git');
    expect(publishableRemote('ssh://git@git.example.com/o/r.git')).toBe('ssh://git@git.example.com/o/r.git');
  });

  it('converts scp-style remotes to https only on known forges', () => {
    expect(publishableRemote('git@github.com:o/r.git')).toBe('https://github.com/o/r.git');
    expect(publishableRemote('git@gitlab.com:group/sub/r.git')).toBe('https://gitlab.com/group/sub/r.git');
    expect(publishableRemote('git@git.example.com:o/r.git')).toBe('git@git.example.com:o/r.git');
    expect(publishableRemote('me:pw@git.example.com:o/r.git')).toBe('me@git.example.com:o/r.git');
  });

  it('turns a local path into a file URL', () => {
    expect(publishableRemote('/srv/git/r.git')).toBe('file:///srv/git/r.git');
  });
});

describe('readVersionControl', () => {
  it('reads origin (without credentials), HEAD and the branch of a work tree', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q');
    writeTree(dir, { 'sub/a.txt': 'a\n' });
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'one');
    git(dir, 'remote', 'add', 'origin', 'https://bob:hunter2@github.com/o/r.git');
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const vcs = await readVersionControl(`${dir}/sub`);
    expect(vcs).toMatchObject({ repositoryUri: 'https://github.com/o/r.git', revisionId: head, branch: 'main' });
    git(dir, 'checkout', '-q', '--detach');
    expect((await readVersionControl(dir))?.branch).toBeUndefined();
  });

  it('is undefined outside a repository', async () => {
    expect(await readVersionControl(tempDir())).toBeUndefined();
  });
});
