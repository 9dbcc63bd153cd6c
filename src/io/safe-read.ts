// Reads the small files secretscan trusts (configs, baselines, ignore files, reports): regular files only, bounded.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { fileKind } from './entry-type.js';

/**
 * A config, baseline or report larger than this is not one: refuse it rather than fill memory.
 * SECRETSCAN_MAX_INPUT_BYTES changes it (a huge merged report, or tests).
 */
export function maxInputFileBytes(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SECRETSCAN_MAX_INPUT_BYTES);
  return Number.isInteger(n) && n > 0 ? n : 64 * 1024 * 1024;
}

export interface SafeReadOptions {
  /** What the file is, for the message: "config", "baseline", "gitleaks ignore file"... */
  what: string;
  maxBytes?: number;
  /**
   * A folder the file must stay in: set for files found on our own initiative (a repository's
   * `.secretscanrc`), so a committed symlink cannot lead the scanner out of the repository.
   */
  within?: string;
  /** Hint to show when the file does not exist. */
  missingHint?: string;
  /** Hint for every other failure. */
  hint?: string;
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/**
 * The file's bytes, after checking that it is a regular file (FIFOs, sockets and devices such as
 * /dev/zero refused before any read), within `within` when set, and no larger than the cap.
 * Every failure is a one-line UserError naming the file.
 */
export function readInputFile(file: string, options: SafeReadOptions): Buffer {
  const max = Math.min(options.maxBytes ?? Infinity, maxInputFileBytes());
  const fail = (reason: string, hint = options.hint): never => {
    throw new UserError(`cannot read ${options.what} ${file}: ${reason}`, hint);
  };
  let link: Stats;
  try {
    link = lstatSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file (ENOENT)' : (code ?? (e as Error).message), code === 'ENOENT' ? (options.missingHint ?? options.hint) : options.hint);
  }
  if (link.isSymbolicLink() && options.within !== undefined) {
    let real: string;
    try {
      real = realpathSync(file);
    } catch (e) {
      return fail(`a symbolic link that leads nowhere (${(e as NodeJS.ErrnoException).code ?? 'unresolved'})`);
    }
    let root = path.resolve(options.within);
    try {
      root = realpathSync(root);
    } catch {
      // the folder itself is gone: compare with the path as given
    }
    if (!isInside(real, root)) fail(`a symbolic link to ${real}, outside ${root}; not followed`);
  }
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever; it is refused below.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    return fail((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return fail(`a ${fileKind(st)}, not a regular file`);
    if (st.size > max) return fail(`${st.size} bytes, over the ${max}-byte limit for a ${options.what}`);
    // Read until end of file, never past max + 1 bytes: the size fstat gave can change meanwhile.
    const parts: Buffer[] = [];
    let got = 0;
    for (;;) {
      const part = Buffer.allocUnsafe(Math.min(Math.max(st.size - got, 64 * 1024), max + 1 - got));
      const n = readSync(fd, part, 0, part.length, null);
      if (n === 0) break;
      parts.push(part.subarray(0, n));
      got += n;
      if (got > max) return fail(`over the ${max}-byte limit for a ${options.what}`);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
  } catch (e) {
    if (e instanceof UserError) throw e;
    return fail((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  } finally {
    closeSync(fd);
  }
}

/** `readInputFile` as UTF-8 text (a leading BOM dropped). */
export function readInputText(file: string, options: SafeReadOptions): string {
  const text = readInputFile(file, options).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
