import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobReader, type BlobAnswer } from '../../src/sources/git-blobs.js';
import { gitEnv, type GitRepo } from '../../src/sources/git-repo.js';

let root: string;
let repo: GitRepo;
const blobs: { oid: string; bytes: Buffer }[] = [];
let tree = '';

/** Distinct bytes of a given length, so that a misplaced copy cannot pass for the right one. */
function pattern(length: number, seed: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = 32 + ((i * 7 + seed * 13 + Math.floor(i / 251)) % 90);
  return b;
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'blobs-'));
  const git = (args: string[], input?: Buffer) => execFileSync('git', args, { cwd: root, env: gitEnv(), input }).toString().trim();
  git(['init', '-q']);
  // Small blobs, several reads' worth (one 256 KiB read buffer), and one over the 2 MB limit below.
  for (const [i, length] of [10, 0, 300_000, 5, 700_000, 3_000_000, 64 * 1024, 1].entries()) {
    const bytes = pattern(length, i);
    blobs.push({ oid: git(['hash-object', '-w', '--stdin'], bytes), bytes });
  }
  writeFileSync(path.join(root, 'f'), 'x\n');
  git(['add', 'f']);
  tree = git(['write-tree']);
  repo = { root, env: gitEnv() } as GitRepo;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every answer, its content copied before the next one is asked for (the reader's contract). */
async function readAll(reader: BlobReader): Promise<(Omit<BlobAnswer, 'content'> & { content?: Buffer })[]> {
  const out: (Omit<BlobAnswer, 'content'> & { content?: Buffer })[] = [];
  for await (const a of reader.answers()) out.push(a.kind === 'blob' ? { ...a, content: Buffer.from(a.content) } : a);
  return out;
}

describe('BlobReader', () => {
  for (const socket of [true, false]) {
    it(`answers in request order with the right bytes, through ${socket ? 'a reused socket buffer' : 'a pipe'}`, async () => {
      const reader = new BlobReader(repo, 2_000_000, { socket });
      const missing = '1'.repeat(40);
      for (const b of blobs) reader.request(b.oid);
      reader.request(missing);
      reader.request(tree);
      reader.request(blobs[0]!.oid);
      reader.end();
      const answers = await readAll(reader);
      expect(answers.map((a) => a.kind)).toEqual(['blob', 'blob', 'blob', 'blob', 'blob', 'too-large', 'blob', 'blob', 'missing', 'missing', 'blob']);
      for (const [i, b] of blobs.entries()) {
        const a = answers[i]!;
        expect(a.oid).toBe(b.oid);
        if (b.bytes.length > 2_000_000) expect(a).toMatchObject({ kind: 'too-large', size: b.bytes.length });
        else expect(a.content!.equals(b.bytes)).toBe(true);
      }
      expect(answers[9]).toMatchObject({ kind: 'missing', detail: 'a tree, not a blob' });
      expect(answers[10]!.content!.equals(blobs[0]!.bytes)).toBe(true);
    });
  }

  it('hands out views into buffers it uses again (so callers must copy), not a buffer per answer, with a socket', async () => {
    const reader = new BlobReader(repo, 2_000_000, { socket: true });
    const small = [blobs[0]!, blobs[3]!, blobs[6]!, blobs[7]!];
    for (let i = 0; i < 100; i++) for (const b of small) reader.request(b.oid);
    reader.end();
    const underneath = new Set<ArrayBufferLike>();
    let n = 0;
    for await (const a of reader.answers()) {
      if (a.kind !== 'blob') throw new Error(`unexpected ${a.kind}`);
      expect(a.content.equals(small[n++ % small.length]!.bytes)).toBe(true);
      underneath.add(a.content.buffer);
    }
    expect(n).toBe(400);
    // The read buffer, and the buffer a blob split across reads is assembled in (grown a few times at most).
    expect(underneath.size).toBeLessThanOrEqual(4);
  });

  it('does not write over an answer while its consumer waits on other work before asking for the next', async () => {
    const reader = new BlobReader(repo, 2_000_000, { socket: true });
    const order = [blobs[2]!, blobs[6]!, blobs[0]!, blobs[4]!, blobs[7]!];
    for (let i = 0; i < 20; i++) for (const b of order) reader.request(b.oid);
    reader.end();
    let n = 0;
    for await (const a of reader.answers()) {
      if (a.kind !== 'blob') throw new Error(`unexpected ${a.kind}`);
      // Git keeps writing meanwhile; the bytes handed out must stay as they were.
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(a.content.equals(order[n++ % order.length]!.bytes), `answer ${n}`).toBe(true);
    }
    expect(n).toBe(100);
  });

  /** Reads one blob with TMPDIR set to `tmp` (where the socket's private folder is made), and checks its bytes. */
  async function readOneWithTmp(tmp: string, blob: { oid: string; bytes: Buffer }): Promise<void> {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const reader = new BlobReader(repo, 2_000_000, { socket: true });
      reader.request(blob.oid);
      reader.end();
      const answers = await readAll(reader);
      expect(answers[0]!.content!.equals(blob.bytes)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  }

  it('leaves no socket or folder behind in the temporary directory', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'blobs-tmp-'));
    try {
      await readOneWithTmp(tmp, blobs[2]!);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('falls back to a pipe when the socket cannot be made (temporary directory missing)', async () => {
    await readOneWithTmp(path.join(root, 'no', 'such', 'dir'), blobs[4]!);
  });

  it('uses a pipe when the path of the temporary folder is too long for a socket, and leaves nothing behind', async () => {
    const deep = path.join(mkdtempSync(path.join(os.tmpdir(), 'blobs-deep-')), 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(deep, { recursive: true });
    try {
      await readOneWithTmp(deep, blobs[4]!);
      expect(readdirSync(deep)).toEqual([]);
      // Node cuts a socket path that is too long short instead of refusing it: nothing may land above.
      expect(readdirSync(path.dirname(deep))).toEqual(['e'.repeat(60)]);
    } finally {
      rmSync(path.dirname(path.dirname(deep)), { recursive: true, force: true });
    }
  });

  it('stops when killed before its answers are read, and says so', async () => {
    const reader = new BlobReader(repo, 2_000_000, { socket: true });
    reader.request(blobs[5]!.oid);
    reader.kill();
    await expect(readAll(reader)).rejects.toThrow(/git cat-file/);
  });

  it('stops partway when the consumer stops, without hanging', async () => {
    const reader = new BlobReader(repo, 2_000_000, { socket: true });
    for (let i = 0; i < 50; i++) for (const b of blobs) reader.request(b.oid);
    reader.end();
    let n = 0;
    for await (const _ of reader.answers()) if (++n === 3) break;
    reader.kill();
    expect(n).toBe(3);
  });
});
