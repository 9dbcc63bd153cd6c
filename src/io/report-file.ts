// Writes reports and baselines safely: checked before the scan, never through a symlink, atomically.
import { closeSync, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync, constants } from 'node:fs';
import path from 'node:path';
import { crypto } from '../core/builtins.js';
import { UserError } from '../errors.js';
import { fileKind } from './entry-type.js';

/**
 * Refuses an output path that a scanned tree could have planted or that would destroy an input:
 * an existing symbolic link (a committed `secretscan.sarif -> ~/.bashrc`), anything but a regular
 * file, a folder that does not exist, or one of `inputs` (the scanned file, the config, the
 * baseline). Run before the scan, so a long scan does not end in "cannot write".
 */
export function checkOutputPath(file: string, what = 'report', inputs: (string | undefined)[] = []): void {
  const fail = (reason: string, hint?: string): never => {
    throw new UserError(`cannot write ${what} to ${file}: ${reason}`, hint);
  };
  if (file === '') fail('empty path', 'name a file, or leave out --output to print to standard output');
  let st;
  try {
    st = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return fail((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  if (st?.isSymbolicLink()) fail('it is a symbolic link, and secretscan never writes through one', 'remove the link or write the report elsewhere (outside the scanned tree)');
  if (st && !st.isFile()) fail(`it is a ${fileKind(st)}`, st.isDirectory() ? 'name a file in that folder' : 'leave out --output to print to standard output');
  const dir = path.dirname(path.resolve(file));
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    return fail(`no folder ${dir}`, 'create the folder first');
  }
  if (!dirStat.isDirectory()) fail(`${dir} is not a folder`);
  const target = path.resolve(file);
  for (const input of inputs) {
    if (input && path.resolve(input) === target) fail('it is an input of this run (the scanned file, config or baseline)', 'write the report elsewhere');
  }
}

/**
 * Writes `text` to `file` through a new temporary file in the same folder, renamed over the
 * target: a reader never sees half a report, and a symlink planted at `file` is replaced, not
 * followed (rename acts on the name). The path is checked again first, as the tree may have changed.
 */
export function writeFileAtomic(file: string, text: string | Buffer, what = 'report'): void {
  checkOutputPath(file, what);
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${crypto().randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // O_EXCL with O_CREAT: fails rather than follow anything already at the temporary name.
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
    const buf = typeof text === 'string' ? Buffer.from(text) : text;
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw new UserError(`cannot write ${what} to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
