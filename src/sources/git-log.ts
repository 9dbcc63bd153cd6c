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
  // The raw entry (":<modes> <oids> <status>") whose path is the next token.
  let pendingMeta: Buffer | null = null;
  // Paths repeat across commits: one string per distinct path keeps the walk's records small.
  const paths = new Map<string, string>();
  const token = (t: Buffer) => {
    if (header) {
      header.push(t);
      if (header.length === 6) {
        const [sha, parents, author, email, date, message] = header as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
        commit = {
          index: commits++,
          sha: sha.toString('latin1'),
          parents: parents.length ? parents.toString('latin1').split(' ').map(flat) : [],
          author: author.toString('utf8'),
          email: email.toString('utf8'),
          date: date.toString('latin1'),
          subject: subjectOf(message),
        };
        header = null;
        on.commit(commit, message);
      }
      return;
    }
    if (pendingMeta !== null) {
      const meta = pendingMeta;
      pendingMeta = null;
      if (commit) {
        const decoded = t.toString('utf8');
        let path = paths.get(decoded);
        if (path === undefined) paths.set(decoded, (path = decoded));
        change(commit, meta, path);
      }
      return;
    }
    let start = 0;
    while (start < t.length && t[start] === 10) start++;
    if (t[start] === 1) header = [t.subarray(start + 1)];
    else if (t[start] === 58 /* : */) pendingMeta = t.subarray(start);
  };
  // A header cut short (a message with no NUL after it, at the very end): complete it.
  const finishHeader = () => {
    if (!header) return;
    while (header.length < 5) header.push(Buffer.alloc(0));
    token(Buffer.alloc(0));
  };
  const change = (c: CommitInfo, meta: Buffer, path: string) => {
    // ":<mode>... <new mode> <sha>... <new sha> <status>" with one ':' per parent (-c for merges).
    // Fields are cut from the bytes: ids become strings of their own, not slices of the line.
    let colons = 0;
    while (meta[colons] === 58) colons++;
    const fields: [number, number][] = [];
    for (let at = colons; at <= meta.length && fields.length <= 2 * colons + 1; ) {
      let sp = meta.indexOf(32, at);
      if (sp === -1) sp = meta.length;
      fields.push([at, sp]);
      at = sp + 1;
    }
    const isGitlink = (f: [number, number] | undefined) => !!f && meta.toString('latin1', f[0], f[1]) === GITLINK;
    const isOid = (f: [number, number] | undefined): f is [number, number] => {
      if (!f || f[1] <= f[0]) return false;
      for (let i = f[0]; i < f[1]; i++) if (meta[i] !== 48 /* 0 */) return true;
      return false; // all zeros: no file on that side
    };
    const modeField = fields[colons];
    const blobField = fields[2 * colons + 1];
    if (isGitlink(modeField) || !isOid(blobField)) return; // submodule commit, or a deletion
    const mode = modeField ? meta.toString('latin1', modeField[0], modeField[1]) : '';
    let previous: string | null = null;
    for (let i = 0; i < colons; i++) {
      const b = fields[colons + 1 + i];
      if (isOid(b) && !isGitlink(fields[i])) {
        previous = meta.toString('latin1', b[0], b[1]);
        break;
      }
    }
    on.change({ commit: c, path, mode, blob: meta.toString('latin1', blobField[0], blobField[1]), previous });
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

/** A string of its own: a part of a larger one would keep the whole alive in V8 (a sliced string). */
function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** What %s prints: the first paragraph on one line (a string of its own: the message is not kept). */
function subjectOf(message: Buffer): string {
  const text = message.toString('utf8');
  return flat((text.split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ').trim());
}

/** git log refused the revisions (a bad range, an unknown branch): the user's to fix. */
export class GitLogError extends Error {
  constructor(readonly stderr: string) {
    super((stderr.split('\n').find((l) => l.trim()) ?? 'git log failed').replace(/^(fatal|error): /, ''));
    this.name = 'GitLogError';
  }
}
