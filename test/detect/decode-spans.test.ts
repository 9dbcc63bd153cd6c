import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { encodedSpans } from '../../src/detect/decode.js';

// The byte loops that find encoded spans give exactly the spans of the regular expressions they
// replaced (leftmost first, as RE2 returns them), on random input built from the bytes that matter.
const REFERENCE = {
  base64: new RE2('(?:[A-Za-z0-9+/_-]{60,}\\r?\\n[ \\t]*)+[A-Za-z0-9+/_-]{4,}={0,2}|[A-Za-z0-9+/_-]{24,}={0,2}', 'g'),
  percent: new RE2('[^\\s"\'<>`]*%[0-9A-Fa-f]{2}[^\\s"\'<>`]*', 'g'),
  'json-escape': new RE2('[^\\s"]*\\\\/[^\\s"]*', 'g'),
} as const;

function reference(buf: Buffer, re: RE2): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(buf); m; m = re.exec(buf)) out.push([m.index, m.index + Buffer.byteLength(m[0])]);
  return out;
}

/** A small seeded generator, so a failure is reproducible. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Runs of base64 characters of lengths around the thresholds (4, 24, 60), joined by the bytes that end them. */
function sample(rand: () => number): Buffer {
  const alphabet = 'ABCxyz019+/_-';
  const joins = ['\n', '\r\n', '\n  ', '\n\t', ' ', '=', '==', '===', '"', "'", '<', '%4', '%41', '%zz', '\\/', '\\', '.', ':', '\f', '\v', 'é'];
  const parts: string[] = [];
  const count = 1 + Math.floor(rand() * 12);
  for (let i = 0; i < count; i++) {
    const len = [2, 3, 4, 5, 23, 24, 25, 59, 60, 61, 76][Math.floor(rand() * 11)]!;
    let run = '';
    for (let j = 0; j < len; j++) run += alphabet[Math.floor(rand() * alphabet.length)];
    parts.push(run, joins[Math.floor(rand() * joins.length)]!);
  }
  return Buffer.from(parts.join(''));
}

describe('encoded spans', () => {
  for (const kind of ['base64', 'percent', 'json-escape'] as const) {
    it(`${kind}: the same spans as the expression on 3,000 random inputs`, () => {
      const rand = random(kind.length * 7919);
      for (let i = 0; i < 3_000; i++) {
        const buf = sample(rand);
        const want = reference(buf, REFERENCE[kind]);
        const got = encodedSpans(buf, kind);
        if (JSON.stringify(got) !== JSON.stringify(want)) expect({ input: buf.toString('latin1'), got }).toEqual({ input: buf.toString('latin1'), got: want });
      }
    });
  }

  it('finds wrapped base64 as one span, with its padding', () => {
    const line = 'QUJD'.repeat(16); // 64 characters
    const text = `data: ${line}\n  ${line}\n  QUJDQQ==\nnext`;
    const start = text.indexOf(line);
    expect(encodedSpans(Buffer.from(text), 'base64')).toEqual([[start, text.indexOf('==') + 2]]);
  });
});
