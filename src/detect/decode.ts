import type { Encoding } from '../types.js';

/**
 * Finds spans that may hide a secret behind an encoding (base64 in Kubernetes Secrets and
 * basic-auth headers, percent-encoding in URLs) and decodes them for a second scan.
 * Bounded: spans are capped in number and size, and only decodings that read as text are kept.
 */

export interface DecodedSpan {
  /** Byte offset of the encoded span in the scanned buffer. */
  offset: number;
  /** Length of the encoded span in bytes. */
  length: number;
  encoding: Encoding;
  bytes: Buffer;
}

// The spans are found by byte loops, not regular expressions: on a tree of minified code the
// expressions ran at ~50 MB/s, a tenth of the rest of a scan. test/detect/decode-spans.test.ts
// checks both give the same spans on random input. The expressions, for the record:
//   base64       (?:[A-Za-z0-9+/_-]{60,}\r?\n[ \t]*)+[A-Za-z0-9+/_-]{4,}={0,2}|[A-Za-z0-9+/_-]{24,}={0,2}
//   percent      [^\s"'<>`]*%[0-9A-Fa-f]{2}[^\s"'<>`]*
//   json-escape  [^\s"]*\\/[^\s"]*       (a JSON string with escaped slashes, PHP's json_encode: "a\/b")
// Standard and URL-safe alphabets in one class (Node decodes both); lines of wrapped base64 (the
// base64 tool wraps at 76 columns, PEM at 64) continue a span when they hold nothing else.
const MAX_SPANS = 2000;
const MAX_SPAN_BYTES = 256 * 1024;

/** True when nearly every byte (exported for the fallback rules' judgement of base64 values) is printable ASCII or whitespace: decoded text, not random bytes. */
export function readsAsText(b: Buffer, minLength = 12): boolean {
  if (b.length < minLength) return false;
  let printable = 0;
  for (const c of b) if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
  return printable / b.length >= 0.95;
}

/** Byte classes: base64 (both alphabets), and the bytes that end a percent or json-escape span. */
const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') BASE64[c.charCodeAt(0)] = 1;
const SPACE = [9, 10, 12, 13, 32];
const PERCENT_STOP = new Uint8Array(256);
for (const c of [...SPACE, 0x22, 0x27, 0x3c, 0x3e, 0x60]) PERCENT_STOP[c] = 1;
const JSON_STOP = new Uint8Array(256);
for (const c of [...SPACE, 0x22]) JSON_STOP[c] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789ABCDEFabcdef') HEX[c.charCodeAt(0)] = 1;

function base64RunEnd(buf: Buffer, i: number): number {
  const n = buf.length;
  while (i < n && BASE64[buf[i]!] === 1) i++;
  return i;
}

/**
 * Base64 spans, leftmost first, as [start, end) pairs in one flat list: a run of 24 base64
 * characters or more, or wrapped lines (each run of 60 or more ending its line, the next line after
 * its indentation continuing it) ending in a run of 4 or more; then up to two `=`. A match only
 * starts where a run starts. (Plain loops: as a generator this ran 2.5 times slower.)
 */
function base64Spans(buf: Buffer): number[] {
  const out: number[] = [];
  const n = buf.length;
  let i = 0;
  while (i < n) {
    if (BASE64[buf[i]!] !== 1) {
      i++;
      continue;
    }
    const start = i;
    const first = base64RunEnd(buf, i);
    let end = -1;
    // Wrapped lines: as many as still leave a last piece of 4 or more.
    let lineStart = start;
    let lineEnd = first;
    while (lineEnd - lineStart >= 60) {
      let j = lineEnd;
      if (buf[j] === 13 && buf[j + 1] === 10) j += 2;
      else if (buf[j] === 10) j += 1;
      else break;
      while (buf[j] === 32 || buf[j] === 9) j++;
      const next = base64RunEnd(buf, j);
      if (next - j < 4) break;
      end = next;
      lineStart = j;
      lineEnd = next;
    }
    if (end < 0 && first - start >= 24) end = first;
    if (end < 0) {
      i = first;
      continue;
    }
    if (buf[end] === 0x3d) end += buf[end + 1] === 0x3d ? 2 : 1;
    out.push(start, end);
    i = end;
  }
  return out;
}

/** Maximal runs of bytes outside `stop` that hold a place `marks` accepts, leftmost first, as flat pairs. */
function markedRuns(buf: Buffer, marker: number, marks: (at: number) => boolean, stop: Uint8Array): number[] {
  const out: number[] = [];
  let from = 0;
  for (let at = buf.indexOf(marker, from); at !== -1; at = buf.indexOf(marker, at + 1)) {
    if (!marks(at)) continue;
    let start = at;
    while (start > from && stop[buf[start - 1]!] !== 1) start--;
    let end = at;
    while (end < buf.length && stop[buf[end]!] !== 1) end++;
    out.push(start, end);
    from = end;
    at = end - 1;
  }
  return out;
}

const percentRuns = (buf: Buffer) => markedRuns(buf, 0x25, (at) => HEX[buf[at + 1] ?? 0] === 1 && HEX[buf[at + 2] ?? 0] === 1, PERCENT_STOP);
const jsonEscapeRuns = (buf: Buffer) => markedRuns(buf, 0x5c, (at) => buf[at + 1] === 0x2f, JSON_STOP);

/** The spans (capped in number) of one kind, each no larger than MAX_SPAN_BYTES. */
function spans(buf: Buffer, found: number[]): { offset: number; bytes: Buffer }[] {
  const out: { offset: number; bytes: Buffer }[] = [];
  for (let k = 0; k < found.length && k < 2 * MAX_SPANS; k += 2) {
    const start = found[k]!;
    const end = found[k + 1]!;
    if (end - start <= MAX_SPAN_BYTES) out.push({ offset: start, bytes: buf.subarray(start, end) });
  }
  return out;
}

/** For tests: the spans of one kind as [start, end) pairs, uncapped. */
export function encodedSpans(buf: Buffer, kind: 'base64' | 'percent' | 'json-escape'): [number, number][] {
  const flat = kind === 'base64' ? base64Spans(buf) : kind === 'percent' ? percentRuns(buf) : jsonEscapeRuns(buf);
  const pairs: [number, number][] = [];
  for (let k = 0; k < flat.length; k += 2) pairs.push([flat[k]!, flat[k + 1]!]);
  return pairs;
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decodes %XX escapes byte by byte; a stray % (as in "50%") stays as it is instead of failing the span. */
export function percentDecode(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hi = bytes[i] === 0x25 ? hexValue(bytes[i + 1]) : -1;
    const lo = hi >= 0 ? hexValue(bytes[i + 2]) : -1;
    if (lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else out[n++] = bytes[i]!;
  }
  return out.subarray(0, n);
}

/** Which encodings to look for is decided by the caller's prefilter. */
export function decodeSpans(buf: Buffer, want: { base64: boolean; percent: boolean; jsonEscape?: boolean }): DecodedSpan[] {
  const out: DecodedSpan[] = [];
  if (want.base64) {
    for (const s of spans(buf, base64Spans(buf))) {
      let text = s.bytes.toString('latin1');
      // A short last piece that does not end its line is the start of the next line, not base64.
      const end = buf[s.offset + s.bytes.length];
      if (text.includes('\n') && end !== undefined && end !== 10 && end !== 13) text = text.slice(0, text.lastIndexOf('\n'));
      let body = text.replace(/\s+/g, '').replace(/=+$/, '');
      if (body.length % 4 === 1) body = body.slice(0, -1);
      // Random bytes (hashes, images) fail the text check; identifiers decode to noise too.
      const bytes = Buffer.from(body, 'base64');
      if (readsAsText(bytes)) out.push({ offset: s.offset, length: s.bytes.length, encoding: 'base64', bytes });
    }
  }
  if (want.percent) {
    for (const s of spans(buf, percentRuns(buf))) {
      out.push({ offset: s.offset, length: s.bytes.length, encoding: 'percent', bytes: percentDecode(s.bytes) });
    }
  }
  if (want.jsonEscape) {
    for (const s of spans(buf, jsonEscapeRuns(buf))) {
      out.push({ offset: s.offset, length: s.bytes.length, encoding: 'json-escape', bytes: Buffer.from(s.bytes.toString('latin1').replace(/\\\//g, '/'), 'latin1') });
    }
  }
  return out;
}
