import { constants, createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { UserError } from '../../errors.js';
import { readAtMost } from '../../io/bounded-read.js';
import { fileKind } from '../../io/entry-type.js';
import { indexTar, type TarMember } from './tar-index.js';

/**
 * The files of an image layout or archive, wherever they sit: a directory on disk, or members of
 * an uncompressed tar read by offset. Paths are relative, with forward slashes.
 */
export interface LayoutFiles {
  /** The directory or tar file, for messages. */
  readonly where: string;
  has(rel: string): Promise<boolean>;
  size(rel: string): Promise<number | undefined>;
  open(rel: string): Promise<Readable>;
  /** A small file whole (manifest.json, index.json); bounded. */
  read(rel: string, limit: number): Promise<Buffer>;
}

function missing(where: string, rel: string): UserError {
  return new UserError(`${rel} is missing from ${where}`, 'is the archive complete?');
}

async function readAll(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const bytes = await readAtMost(stream, limit);
  if (bytes === null) throw new UserError(`${what} is larger than ${limit} bytes`);
  return bytes;
}

export class DirectoryFiles implements LayoutFiles {
  constructor(readonly where: string) {}

  private abs(rel: string): string {
    const abs = path.resolve(this.where, rel);
    // A manifest naming ../../etc/passwd reads nothing outside the layout.
    if (!abs.startsWith(path.resolve(this.where) + path.sep)) throw new UserError(`${this.where}: path ${rel} points outside the layout`);
    return abs;
  }

  async has(rel: string): Promise<boolean> {
    return (await this.size(rel)) !== undefined;
  }

  async size(rel: string): Promise<number | undefined> {
    try {
      const st = await stat(this.abs(rel));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  }

  async open(rel: string): Promise<Readable> {
    const abs = this.abs(rel);
    // Opened now, so that a missing blob fails here with its name rather than mid-stream.
    // O_NONBLOCK: a blob that is a FIFO must not hang the open; it is refused below, as is a device.
    const fh = await open(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(() => {
      throw missing(this.where, rel);
    });
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new UserError(`${path.join(this.where, rel)} is a ${fileKind(st)}, not a regular file`, 'an image layout holds regular files only');
      const [real, root] = await Promise.all([realpath(abs), realpath(this.where)]);
      if (!real.startsWith(root + path.sep)) throw new UserError(`${path.join(this.where, rel)} is a symbolic link to ${real}, outside the layout; not followed`);
    } catch (e) {
      await fh.close();
      throw e;
    }
    return fh.createReadStream({ highWaterMark: 256 * 1024 });
  }

  async read(rel: string, limit: number): Promise<Buffer> {
    return readAll(await this.open(rel), limit, path.join(this.where, rel));
  }
}

export class TarFiles implements LayoutFiles {
  private constructor(
    readonly where: string,
    private readonly members: Map<string, TarMember>,
  ) {}

  /** Indexes the tar's members (headers only, see indexTar). */
  static async open(file: string): Promise<TarFiles> {
    try {
      return new TarFiles(file, await indexTar(file));
    } catch (e) {
      throw new UserError((e as Error).message);
    }
  }

  private member(rel: string): TarMember | undefined {
    let m = this.members.get(rel.replace(/^\.\//, ''));
    // docker save archives hold `<id>/layer.tar` as a symlink to a blob in some versions.
    for (let hops = 0; m && (m.type === 'symlink' || m.type === 'link') && m.linkname && hops < 8; hops++) {
      const target = m.type === 'symlink' ? path.posix.normalize(path.posix.join(path.posix.dirname(m.name), m.linkname)) : m.linkname;
      m = this.members.get(target.replace(/^\.\//, ''));
    }
    return m && m.type === 'file' ? m : undefined;
  }

  async has(rel: string): Promise<boolean> {
    return this.member(rel) !== undefined;
  }

  async size(rel: string): Promise<number | undefined> {
    return this.member(rel)?.size;
  }

  async open(rel: string): Promise<Readable> {
    const m = this.member(rel);
    if (!m) throw missing(this.where, rel);
    if (m.size === 0) return Readable.from([]);
    return createReadStream(this.where, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 256 * 1024 });
  }

  async read(rel: string, limit: number): Promise<Buffer> {
    return readAll(await this.open(rel), limit, `${rel} in ${this.where}`);
  }
}
