// Scans text of any length in overlapping windows of bounded size, with lines and columns as in the whole text.
import type { Match } from '../types.js';
import { looksBinary } from './binary.js';
import type { Detector } from './detector.js';
import { LineIndex } from './lines.js';
import { utf16Encoding, utf16ToUtf8, type TextEncoding } from './utf16.js';

/** Bytes held at once per window; SECRETSCAN_WINDOW_BYTES lowers it (tests use a few KiB). */
export function windowBytes(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SECRETSCAN_WINDOW_BYTES);
  return Number.isInteger(n) && n >= 1024 ? n & ~1 : 8 * 1024 * 1024;
}

/** Bytes two windows share: a secret up to half this long cut by a window edge is whole in one of them. */
export function overlapBytes(window: number): number {
  return Math.min(64 * 1024, window / 4) & ~3;
}

/** UTF-16 code units in UTF-8 bytes, as editors count columns (the decoder is native: fast on 8 MiB). */
function utf16Length(buf: Buffer): number {
  return buf.toString('utf8').length;
}

export interface WindowScanResult {
  matches: Match[];
  /** Bytes of the input (before any decoding). */
  bytes: number;
  binary: boolean;
  encoding?: TextEncoding;
}

/**
 * Takes the input's bytes in pieces (`push`), scans every window of `size` bytes as it fills, and
 * keeps only the overlap between windows: memory stays at one window whatever the input's length
 * (a 2 GiB log, standard input, a file that is one long line). A match is kept from the window
 * where it starts farther from the edge, so none is lost at an edge and none is reported twice.
 */
export class WindowScanner {
  private readonly buf: Buffer;
  private fill = 0;
  private first = true;
  private line = 0;
  private column = 0;
  private total = 0;
  private binary = false;
  private encoding: TextEncoding | null = null;
  private readonly matches: Match[] = [];

  /** `path`: the input's path relative to the scan root (or stdin's --label), for path-scoped rules. */
  constructor(
    private readonly detector: Detector,
    private readonly size = windowBytes(),
    private readonly path?: string,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let off = 0;
    while (off < chunk.length && !this.binary) {
      const n = Math.min(chunk.length - off, this.size - this.fill);
      chunk.copy(this.buf, this.fill, off, off + n);
      this.fill += n;
      off += n;
      if (this.fill === this.size) this.flush(false);
    }
  }

  /** True once the input is known to be binary: nothing more is worth reading. */
  get isBinary(): boolean {
    return this.binary;
  }

  finish(): WindowScanResult {
    if (!this.binary && (this.fill > 0 || this.first)) this.flush(true);
    return { matches: this.matches, bytes: this.total, binary: this.binary, ...(this.encoding ? { encoding: this.encoding } : {}) };
  }

  private decode(raw: Buffer): Buffer {
    return this.encoding ? utf16ToUtf8(raw, this.encoding) : raw;
  }

  private flush(last: boolean): void {
    const raw = this.buf.subarray(0, this.fill);
    if (this.first) {
      this.encoding = utf16Encoding(raw);
      if (!this.encoding && looksBinary(raw)) {
        this.binary = true;
        return;
      }
    }
    const overlap = overlapBytes(this.size);
    const text = this.decode(raw);
    const index = new LineIndex(text);
    // Matches starting in the first half of the overlap belong to the previous window, those in
    // the second half of the next one's overlap to the next window.
    const found = this.detector.scan(text, this.path);
    // Cut points placed only when there is a match to place (positions cost a walk of the line).
    const from = this.first || found.length === 0 ? null : index.position(this.decode(raw.subarray(0, overlap / 2)).length);
    const to = last || found.length === 0 ? null : index.position(this.decode(raw.subarray(0, this.size - overlap / 2)).length);
    const before = (a: Match, p: { line: number; column: number }) => a.line < p.line || (a.line === p.line && a.column < p.column);
    for (const m of found) {
      if (from && before(m, from)) continue;
      if (to && !before(m, to)) continue;
      this.matches.push(this.shift(m));
    }
    if (last) return;
    // The next window starts with this one's last `overlap` bytes: count the lines left behind.
    const gone = this.decode(raw.subarray(0, this.size - overlap));
    const nl = gone.lastIndexOf(10);
    if (nl === -1) this.column += utf16Length(gone);
    else {
      for (let i = gone.indexOf(10); i !== -1; i = gone.indexOf(10, i + 1)) this.line++;
      this.column = utf16Length(gone.subarray(nl + 1));
    }
    this.buf.copy(this.buf, 0, this.size - overlap, this.size);
    this.fill = overlap;
    this.first = false;
  }

  /** A window's match, placed in the whole text. */
  private shift(m: Match): Match {
    return {
      ...m,
      line: m.line + this.line,
      column: m.line === 1 ? m.column + this.column : m.column,
      endLine: m.endLine + this.line,
      endColumn: m.endLine === 1 ? m.endColumn + this.column : m.endColumn,
    };
  }
}
