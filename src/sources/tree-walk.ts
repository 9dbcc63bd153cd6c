// Walks a folder by the bytes of its names: every name the file system can hold is reached and shown.
import { lstat as lstatCallback, readdir as readdirCallback, realpathSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { Skipped } from '../types.js';
import { fileKind } from '../io/entry-type.js';

// The callback forms, not node:fs/promises: that module (and the stream and readline modules it
// loads) costs ~5 ms at start-up, a twentieth of a small scan.
const readdir = (dir: Buffer | string, options: { withFileTypes: true; encoding: 'buffer' }) =>
  new Promise<Dirent<Buffer>[]>((resolve, reject) => readdirCallback(dir, options, (e, entries) => (e ? reject(e) : resolve(entries))));
const lstat = (p: Buffer | string) => new Promise<Stats>((resolve, reject) => lstatCallback(p, (e, st) => (e ? reject(e) : resolve(st))));

export interface WalkedFile {
  /** Absolute path as text (for messages and allow-paths). */
  abs: string;
  /** Relative to the root, forward slashes; bytes that are not UTF-8 shown as \xNN. */
  rel: string;
  /** The exact absolute path, when the name is not valid UTF-8 (`abs` cannot open it then). */
  bytes?: Buffer;
}

export interface WalkOptions {
  /** Relative folders (ending in '/') and files to leave out, as git lists them. */
  ignoredDirs?: readonly string[];
  ignoredFiles?: ReadonlySet<string>;
}

const SLASH = Buffer.from('/');

/** A name as text: UTF-8 when it is, else each byte that is not part of valid UTF-8 as \xNN. */
export function nameText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    const piece = len ? bytes.subarray(i, i + len) : null;
    const decoded = piece && piece.length === len ? piece.toString('utf8') : '';
    if (decoded && !decoded.includes('\ufffd') && Buffer.from(decoded, 'utf8').equals(piece!)) {
      out += decoded;
      i += len;
    } else {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/**
 * Every regular file under `root`, dotfiles included, never into .git, never following symlinks.
 * Names are read as bytes, so a name holding a line break or bytes that are not UTF-8 is scanned
 * like any other. Unreadable folders, symlinks leading out of the root and entries that are not
 * regular files (FIFOs, sockets, devices) are listed in `skipped` with their reason.
 */
export async function walkTree(root: string, options: WalkOptions = {}): Promise<{ files: WalkedFile[]; skipped: Skipped[] }> {
  const realRoot = realpathSync(root);
  const rootBytes = Buffer.from(root);
  const files: WalkedFile[] = [];
  const skipped: Skipped[] = [];
  const ignoredDirs = new Set(options.ignoredDirs ?? []);
  // Folders still to read, as [absolute bytes, relative text with a trailing '/' or '' for the root].
  const queue: [Buffer, string][] = [[rootBytes, '']];
  const visit = async ([dir, relDir]: [Buffer, string]): Promise<void> => {
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      skipped.push({ path: relDir.replace(/\/$/, '') || '.', reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      return;
    }
    for (const entry of entries) {
      const name = entry.name as unknown as Buffer;
      const absBytes = Buffer.concat([dir, SLASH, name]);
      const text = nameText(name);
      const rel = relDir + text;
      let kind: Dirent<Buffer> | Awaited<ReturnType<typeof lstat>> = entry;
      // Some file systems do not say an entry's type in the listing (DT_UNKNOWN): ask.
      if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink() && !entry.isFIFO() && !entry.isSocket() && !entry.isCharacterDevice() && !entry.isBlockDevice()) {
        try {
          kind = await lstat(absBytes);
        } catch (e) {
          skipped.push({ path: rel, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
          continue;
        }
      }
      if (text === '.git') continue;
      if (kind.isDirectory()) {
        if (!ignoredDirs.has(`${rel}/`)) queue.push([absBytes, `${rel}/`]);
      } else if (options.ignoredFiles?.has(rel)) {
        continue;
      } else if (kind.isSymbolicLink()) {
        // A link inside the root is scanned at its target; one leading out is reported, never followed.
        let inside = false;
        try {
          const real = realpathSync(absBytes, { encoding: 'buffer' }).toString('utf8');
          inside = real === realRoot || real.startsWith(realRoot + path.sep);
        } catch {
          inside = true; // dangling: nothing to read
        }
        if (!inside) skipped.push({ path: rel, reason: 'symlink-outside-root' });
      } else if (kind.isFile()) {
        const abs = absBytes.toString('utf8');
        files.push(text === name.toString('utf8') && !text.includes('\ufffd') ? { abs, rel } : { abs, rel, bytes: absBytes });
      } else {
        skipped.push({ path: rel, reason: 'not-a-file', detail: fileKind(kind) });
      }
    }
  };
  // A few folders read at once: listing a large tree waits on the disk more than on the CPU.
  const running = new Set<Promise<void>>();
  while (queue.length > 0 || running.size > 0) {
    while (queue.length > 0 && running.size < 16) {
      const p: Promise<void> = visit(queue.shift()!).finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size > 0) await Promise.race(running);
  }
  return { files, skipped };
}
