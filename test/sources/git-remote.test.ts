import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRemoteUrl } from '../../src/sources/git-remote.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-remote-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isRemoteUrl', () => {
  it('knows the URL forms git clones from', () => {
    for (const url of ['https://github.com/o/r.git', 'http://127.0.0.1:8080/r', 'ssh://git@host:2222/o/r.git', 'git://host/r', 'file:///srv/r.git', 'git@github.com:o/r.git', 'deploy@10.0.0.2:repos/r'])
      expect(isRemoteUrl(url), url).toBe(true);
  });

  it('leaves local paths local, even odd ones', () => {
    for (const p of ['.', '../repo', '/srv/repo.git', 'repo', 'C:/work/repo', 'user@host'] ) expect(isRemoteUrl(p), p).toBe(false);
  });

  it('a folder that exists here is local even when its name reads like user@host:path', () => {
    const odd = path.join(dir, 'me@host:repo');
    mkdirSync(odd);
    expect(isRemoteUrl(odd)).toBe(false);
  });
});
