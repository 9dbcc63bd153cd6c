import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { GitRepo } from './git-repo.js';

/** One answer of `git cat-file --batch`, in the order the object ids were asked for. */
export type BlobAnswer =
  /** `owned`: `content` has a memory of its own; else it is a view into a read buffer (copy to keep). */
  | { oid: string; kind: 'blob'; content: Buffer; owned: boolean }
  | { oid: string; kind: 'too-large'; size: number }
  /** Not in the repository (a partial clone leaves large blobs out), or not a blob. */
  | { oid: string; kind: 'missing'; detail: string };

/**
 * One long-running `git cat-file --batch` child: object ids go in on stdin, contents stream out
 * and are parsed as they come, with bounded memory. A blob over `maxBytes` is never held: its
 * bytes are dropped as they pass. The reader stops reading (and so git stops writing) while the
 * consumer of `answers()` is busy.
 */
export class BlobReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queued: string[] = [];
  private queuedChars = 0;
  private stderr = '';
  private ended = false;
  /** The child's exit code, or the error that kept it from starting: listened for from the start. */
  private readonly exited: Promise<number | null | Error>;

  constructor(repo: GitRepo, private readonly maxBytes: number) {
    // --buffer: git writes in large blocks instead of flushing after every object. Safe because
    // every id is written before any answer is awaited, and stdin is closed at the end.
    this.child = spawn('git', ['cat-file', '--batch', '--buffer'], { cwd: repo.root, env: repo.env });
    this.child.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += d.toString();
    });
    // A child that dies early closes stdin under us: the error surfaces from answers().
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.on('error', resolve);
      this.child.on('close', resolve);
    });
  }

  /** Asks for one object; answers come back in the order of the requests. */
  request(oid: string): void {
    this.queued.push(oid);
    this.queuedChars += oid.length + 1;
    if (this.queuedChars >= 64 * 1024) this.flush();
  }

  /** No more requests: git answers what is pending and exits. */
  end(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.child.stdin.end();
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    this.child.stdin.write(`${this.queued.join('\n')}\n`);
    this.queued.length = 0;
    this.queuedChars = 0;
  }

  /** Ends the child without waiting for its answers (on error, or when the consumer stops early). */
  kill(): void {
    this.child.kill();
  }

  async *answers(): AsyncGenerator<BlobAnswer> {
    let header: Buffer | null = null;
    // The object being read: its id, its size (+1 for the newline after the content), bytes so far.
    let oid = '';
    let need = -1;
    let have = 0;
    let body: Buffer | null = null;
    let drop = false;
    for await (const chunk of this.child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        if (need < 0) {
          const nl = chunk.indexOf(10, off);
          if (nl < 0) {
            header = header ? Buffer.concat([header, chunk.subarray(off)]) : Buffer.from(chunk.subarray(off));
            break;
          }
          const line = (header ? Buffer.concat([header, chunk.subarray(off, nl)]) : chunk.subarray(off, nl)).toString('latin1');
          header = null;
          off = nl + 1;
          // "<oid> <type> <size>", or "<oid> missing" / "<oid> ambiguous"
          const [id = '', type = '', sizeText] = line.split(' ');
          if (sizeText === undefined) {
            yield { oid: id, kind: 'missing', detail: type === 'missing' ? 'object not in the repository (partial clone?)' : type };
            continue;
          }
          oid = id;
          const size = Number(sizeText);
          need = size + 1;
          have = 0;
          drop = type !== 'blob' || size > this.maxBytes;
          if (drop) {
            yield type === 'blob' ? { oid, kind: 'too-large', size } : { oid, kind: 'missing', detail: `a ${type}, not a blob` };
          } else if (chunk.length - off >= need) {
            // The whole object is in this chunk: hand out a view, no copy.
            const content = chunk.subarray(off, off + size);
            off += need;
            need = -1;
            yield { oid, kind: 'blob', content, owned: false };
            continue;
          } else {
            body = Buffer.allocUnsafeSlow(size + 1);
          }
        }
        const take = Math.min(need - have, chunk.length - off);
        if (!drop) chunk.copy(body!, have, off, off + take);
        have += take;
        off += take;
        if (have === need) {
          need = -1;
          if (!drop) {
            const content = body!.subarray(0, have - 1);
            body = null;
            yield { oid, kind: 'blob', content, owned: true };
          }
        }
      }
    }
    const code = await this.exited;
    if (code instanceof Error) throw new Error(`cannot run git cat-file: ${code.message}`);
    if (code !== 0 || need >= 0) {
      throw new Error(`git cat-file failed${code ? ` (exit ${code})` : ''}: ${this.stderr.trim().split('\n')[0] ?? 'output cut short'}`);
    }
  }
}
