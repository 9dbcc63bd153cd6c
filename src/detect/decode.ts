import RE2 from 're2';
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

// Standard and URL-safe alphabets in one class (Node decodes both); lines of wrapped base64 (the
// base64 tool wraps at 76 columns, PEM at 64) continue a span when they hold nothing else.
const BASE64_SPAN = new RE2('(?:[A-Za-z0-9+/_-]{60,}\\r?\\n[ \\t]*)+[A-Za-z0-9+/_-]{4,}={0,2}|[A-Za-z0-9+/_-]{24,}={0,2}', 'g');
const PERCENT_SPAN = new RE2('[^\\s"\'<>`]*%[0-9A-Fa-f]{2}[^\\s"\'<>`]*', 'g');
// A JSON string written with escaped slashes (PHP's json_encode): "a\/b".
const JSON_ESCAPE_SPAN = new RE2('[^\\s"]*\\\\/[^\\s"]*', 'g');
const MAX_SPANS = 2000;
const MAX_SPAN_BYTES = 256 * 1024;

/** True when nearly every byte (exported for the fallback rules' judgement of base64 values) is printable ASCII or whitespace: decoded text, not random bytes. */
export function readsAsText(b: Buffer, minLength = 12): boolean {
  if (b.length < minLength) return false;
  let printable = 0;
  for (const c of b) if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
  return printable / b.length >= 0.95;
}

function* spans(buf: Buffer, re: RE2): Generator<{ offset: number; bytes: Buffer }> {
  re.lastIndex = 0;
  let n = 0;
  for (let m = re.exec(buf); m && n < MAX_SPANS; m = re.exec(buf), n++) {
    if (m[0].length <= MAX_SPAN_BYTES) yield { offset: m.index, bytes: m[0] };
  }
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
    for (const s of spans(buf, BASE64_SPAN)) {
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
    for (const s of spans(buf, PERCENT_SPAN)) {
      out.push({ offset: s.offset, length: s.bytes.length, encoding: 'percent', bytes: percentDecode(s.bytes) });
    }
  }
  if (want.jsonEscape) {
    for (const s of spans(buf, JSON_ESCAPE_SPAN)) {
      out.push({ offset: s.offset, length: s.bytes.length, encoding: 'json-escape', bytes: Buffer.from(s.bytes.toString('latin1').replace(/\\\//g, '/'), 'latin1') });
    }
  }
  return out;
}
