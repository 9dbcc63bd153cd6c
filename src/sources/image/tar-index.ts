import { open, type FileHandle } from 'node:fs/promises';

/** Where one member's bytes sit inside a tar file. */
export interface TarMember {
  name: string;
  offset: number;
  size: number;
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  linkname?: string;
}

const BLOCK = 512;

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.toString('utf8', 0, nul === -1 ? length : nul);
}

/** Octal, or GNU base-256 for sizes past 8 GiB (high bit of the first byte set). */
function numeric(block: Buffer, start: number, length: number): number {
  if ((block[start]! & 0x80) !== 0) {
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const text = field(block, start, length).trim();
  return text ? parseInt(text, 8) : 0;
}

function checksumOk(block: Buffer): boolean {
  let sum = 8 * 0x20; // the checksum field counts as spaces
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i]!;
  return sum === numeric(block, 148, 8);
}

/** `len key=value\n` records of a PAX extended header. */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const len = parseInt(data.toString('ascii', at, space), 10);
    if (!len) break;
    const record = data.toString('utf8', space + 1, at + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += len;
  }
  return out;
}

function normalise(name: string): string {
  return name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/**
 * Lists the members of an uncompressed tar file by reading only its headers: each member's data
 * is skipped with a seek, so indexing a 5 GB `docker save` archive reads a few kilobytes. Members
 * are then read by offset (fs.createReadStream with start/end). Throws on a file that is not a tar.
 */
export async function indexTar(file: string): Promise<Map<string, TarMember>> {
  const fh = await open(file, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    return await walk(fh, fileSize, file);
  } finally {
    await fh.close();
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

async function walk(fh: FileHandle, fileSize: number, file: string): Promise<Map<string, TarMember>> {
  const members = new Map<string, TarMember>();
  let at = 0;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | null = null;
  let longLink: string | null = null;
  while (at + BLOCK <= fileSize) {
    const block = await readAt(fh, at, BLOCK);
    if (block.length < BLOCK) break;
    if (block.every((b) => b === 0)) break; // end-of-archive marker
    if (!checksumOk(block)) {
      throw new Error(at === 0 ? `${file} is not a tar archive` : `${file}: damaged tar header at byte ${at}`);
    }
    const typeflag = String.fromCharCode(block[156] || 0x30);
    const size = numeric(block, 124, 12);
    const dataAt = at + BLOCK;
    const next = dataAt + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      const data = await readAt(fh, dataAt, size);
      if (typeflag === 'x') pax = paxRecords(data);
      else if (typeflag === 'g') globalPax = { ...globalPax, ...paxRecords(data) };
      else if (typeflag === 'L') longName = field(data, 0, data.length);
      else longLink = field(data, 0, data.length);
      at = next;
      continue;
    }
    const magic = block.toString('latin1', 257, 262);
    const prefix = magic === 'ustar' ? field(block, 345, 155) : '';
    const name = pax.path ?? globalPax.path ?? longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    const realSize = pax.size !== undefined ? Number(pax.size) : size;
    if (dataAt + realSize > fileSize) throw new Error(`${file}: truncated tar archive (a member ends past byte ${fileSize})`);
    const type = typeflag === '0' || typeflag === '7' ? 'file' : typeflag === '5' ? 'directory' : typeflag === '2' ? 'symlink' : typeflag === '1' ? 'link' : 'other';
    const linkname = pax.linkpath ?? longLink ?? field(block, 157, 100);
    members.set(normalise(name), { name: normalise(name), offset: dataAt, size: realSize, type, ...(linkname ? { linkname } : {}) });
    pax = {};
    longName = null;
    longLink = null;
    at = dataAt + Math.ceil(realSize / BLOCK) * BLOCK;
  }
  return members;
}
