import { spawn } from 'node:child_process';
import type { GitRepo } from './git-repo.js';

/** A commit as the history walk reports it. `index` orders commits oldest first. */
export interface CommitInfo {
  index: number;
  sha: string;
  parents: string[];
  author: string;
  email: string;
  /** Author date, ISO 8601 with the author's offset. */
  date: string;
  subject: string;
}

/**
 * One file a commit added or changed (`git log --raw`), or for a merge, a file whose content is in
 * none of its parents (combined `-c` output: what an "evil merge" introduces).
 */
export interface TreeChange {
  commit: CommitInfo;
  path: string;
  mode: string;
  blob: string;
  /** The file's blob in the (first) parent that had one: its previous version. */
  previous: string | null;
}

export interface WalkHandlers {
  commit(c: CommitInfo, message: Buffer): void;
  change(ch: TreeChange): void;
}

const ZERO = /^0+$/;
const GITLINK = '160000';
// %x01 marks where a commit starts; the fields are NUL-separated like the -z raw entries after them.
const FORMAT = '--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI%x00%B';

/**
 * Walks commits oldest first with `git log --reverse --raw -c -z`: trees only, no diffs, so it
 * costs a fraction of `git log -p`. `revisions` are git log arguments (`--all`, a range, a branch,
 * `--since=...`). Paths come as raw bytes (-z), decoded as UTF-8 where they can be.
 */
export async function walkHistory(repo: GitRepo, revisions: string[], stop: AbortSignal, on: WalkHandlers): Promise<number> {
  const args = [
    'log', '--reverse', '--raw', '--no-abbrev', '--no-renames', '-c', '--root', '-z',
    '--no-color', '--no-show-signature', '--no-notes', '--no-ext-diff', '--encoding=UTF-8', FORMAT,
    ...revisions, '--',
  ];
  // `stop`: the consumer gave up (an error, an early end): git log need not run to the end.
  const child = spawn('git', args, { cwd: repo.root, env: repo.env, stdio: ['ignore', 'pipe', 'pipe'], signal: stop });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => (stop.aborted ? resolve(0) : reject(e)));
    child.on('close', (code) => resolve(stop.aborted ? 0 : code));
  });

  let commits = 0;
  let commit: CommitInfo | null = null;
  // Fields of the commit header still to come (parents, author, email, date, message).
  let header: Buffer[] | null = null;
  let pendingMeta: string | null = null;
  const token = (t: Buffer) => {
    if (header) {
      header.push(t);
      if (header.length === 6) {
        const [sha, parents, author, email, date, message] = header as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
        const text = message.toString('utf8');
        commit = {
          index: commits++,
          sha: sha.toString('latin1'),
          parents: parents.length ? parents.toString('latin1').split(' ') : [],
          author: author.toString('utf8'),
          email: email.toString('utf8'),
          date: date.toString('latin1'),
          // What %s prints: the first paragraph on one line.
          subject: (text.split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ').trim(),
        };
        header = null;
        on.commit(commit, message);
      }
      return;
    }
    if (pendingMeta !== null) {
      const meta = pendingMeta;
      pendingMeta = null;
      if (commit) change(commit, meta, t.toString('utf8'));
      return;
    }
    let start = 0;
    while (start < t.length && t[start] === 10) start++;
    if (t[start] === 1) header = [t.subarray(start + 1)];
    else if (t[start] === 58 /* : */) pendingMeta = t.toString('latin1', start);
  };
  // A header cut short (a message with no NUL after it, at the very end): complete it.
  const finishHeader = () => {
    if (!header) return;
    while (header.length < 5) header.push(Buffer.alloc(0));
    token(Buffer.alloc(0));
  };
  const change = (c: CommitInfo, meta: string, path: string) => {
    // ":<mode>... <new mode> <sha>... <new sha> <status>" with one ':' per parent (-c for merges).
    let colons = 0;
    while (meta[colons] === ':') colons++;
    const f = meta.slice(colons).split(' ');
    const mode = f[colons] ?? '';
    const blob = f[2 * colons + 1] ?? '';
    if (mode === GITLINK || !blob || ZERO.test(blob)) return; // submodule commit, or a deletion
    let previous: string | null = null;
    for (let i = 0; i < colons; i++) {
      const m = f[i];
      const b = f[colons + 1 + i];
      if (b && m !== GITLINK && !ZERO.test(b)) {
        previous = b;
        break;
      }
    }
    on.change({ commit: c, path, mode, blob, previous });
  };

  // Cut the stream on NUL bytes; a token may straddle two reads.
  let carry: Buffer | null = null;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    let off = 0;
    for (let nul = chunk.indexOf(0, off); nul !== -1; nul = chunk.indexOf(0, off)) {
      const piece = chunk.subarray(off, nul);
      token(carry ? Buffer.concat([carry, piece]) : piece);
      carry = null;
      off = nul + 1;
    }
    if (off < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(off)]) : Buffer.from(chunk.subarray(off));
  }
  if (carry) token(carry);
  finishHeader();
  const code = await exited;
  if (code !== 0) throw new GitLogError(stderr);
  return commits;
}

/** git log refused the revisions (a bad range, an unknown branch): the user's to fix. */
export class GitLogError extends Error {
  constructor(readonly stderr: string) {
    super((stderr.split('\n').find((l) => l.trim()) ?? 'git log failed').replace(/^(fatal|error): /, ''));
    this.name = 'GitLogError';
  }
}
