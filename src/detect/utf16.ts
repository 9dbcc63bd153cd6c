// Recognises UTF-16 text (with or without a byte order mark) and turns it into UTF-8 for the detector.

export type TextEncoding = 'utf16le' | 'utf16be';

/**
 * UTF-16 by its byte order mark, or, without one, by its shape: in the first 4 KiB, most code
 * units of ASCII-range text have one zero byte, always on the same side. Binary files have zero
 * bytes on both sides and stay binary.
 */
export function utf16Encoding(head: Buffer): TextEncoding | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const units = n / 2;
  if (oddZero >= units * 0.6 && evenZero <= units * 0.02) return 'utf16le';
  if (evenZero >= units * 0.6 && oddZero <= units * 0.02) return 'utf16be';
  return null;
}

/** UTF-16 bytes (an even count; a byte order mark dropped) as UTF-8. */
export function utf16ToUtf8(bytes: Buffer, encoding: TextEncoding): Buffer {
  let le = bytes.subarray(0, bytes.length & ~1);
  if (encoding === 'utf16be') le = Buffer.from(le).swap16();
  let text = le.toString('utf16le');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return Buffer.from(text, 'utf8');
}
