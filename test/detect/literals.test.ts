import { describe, expect, it } from 'vitest';
import { LazyLiteralSet, LiteralSet } from '../../src/detect/literals.js';
import { literalTrigram } from '../../src/rules/prefilter-table.js';

/** Every occurrence a set reports, as `offset:literal`, sorted. */
function occurrences(set: { scan(buf: Buffer, found: (i: number, at: number) => void): void }, input: Buffer | string): string[] {
  const hits: string[] = [];
  set.scan(typeof input === 'string' ? Buffer.from(input, 'latin1') : input, (i, at) => hits.push(`${at}:${i}`));
  return hits.sort();
}

function found(set: LiteralSet, text: string): number[] {
  const hits: number[] = [];
  set.scan(Buffer.from(text, 'latin1'), (i) => hits.push(i));
  return hits.sort((a, b) => a - b);
}

describe('LiteralSet', () => {
  const set = new LiteralSet([
    { text: 'sk_live_', exact: false },
    { text: 'SG.', exact: true },
    { text: 'password', exact: false },
    { text: 'Q~', exact: true },
    { text: 'live', exact: false },
  ]);

  it('finds literals in any case unless exact', () => {
    expect(found(set, 'SK_LIVE_abc')).toEqual([0, 4]);
    expect(found(set, 'PassWord=1')).toEqual([2]);
    expect(found(set, 'msg.send sg.x')).toEqual([]);
    expect(found(set, 'key SG.abc')).toEqual([1]);
  });

  it('finds literals at both ends of the buffer and overlapping ones', () => {
    expect(found(set, 'password')).toEqual([2]);
    expect(found(set, 'xpasswordx sk_live_')).toEqual([0, 2, 4]);
  });

  it('finds two-byte literals, exactly', () => {
    expect(found(set, 'abc8Q~def')).toEqual([3]);
    expect(found(set, 'abc8q~def')).toEqual([]);
  });

  it('finds two-byte literals in any case unless exact, at both ends of the buffer', () => {
    const pairs = new LiteralSet([
      { text: 'ab', exact: false },
      { text: 'q~', exact: false },
      { text: '~=', exact: true },
      { text: 'x~', exact: true },
    ]);
    const all = (text: string) => occurrences(pairs, text);
    expect(all('AB aB Ab ab')).toEqual(['0:0', '3:0', '6:0', '9:0']);
    expect(all('Q~=x q~ X~')).toEqual(['0:1', '1:2', '5:1']);
    expect(all('~=')).toEqual(['0:2']);
    expect(all('~ ~~x~')).toEqual(['4:3']);
    expect(all('~q')).toEqual([]);
  });

  it('reports every occurrence', () => {
    expect(found(set, 'password password')).toEqual([2, 2]);
  });

  it('finds nothing in text without the literals', () => {
    expect(found(set, 'const session = account.private.access;'.repeat(100))).toEqual([]);
  });

  it('rejects a one-byte literal', () => {
    expect(() => new LiteralSet([{ text: 'x', exact: false }])).toThrow(/too short/);
  });
});

describe('LiteralSet in WebAssembly and in JavaScript', () => {
  const literals = [
    { text: 'sk_live_', exact: false },
    { text: 'SG.', exact: true },
    { text: 'password', exact: false },
    { text: 'Q~', exact: true },
    { text: 'ghp_', exact: true },
    { text: 'token', exact: false },
  ];
  const all = occurrences;

  it('runs the byte loop in WebAssembly here', () => {
    const set = new LiteralSet(literals);
    set.scan(Buffer.from('token'), () => {});
    expect((set as unknown as { wasm: unknown }).wasm).not.toBeNull();
  });

  it('finds the same places in long input: across the 1 MiB slices and past 65,536 trigram hits', () => {
    // Generated text: 3 MiB with literals at random places, some straddling every slice edge.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const words = ['sk_LIVE_', 'SG.', 'sg.', 'PassWord', 'Q~', 'ghp_', 'TOKEN', 'const', ' ', '\n', 'tok', 'pass'];
    const parts: string[] = [];
    let n = 0;
    while (n < 3 * 2 ** 20) {
      const w = words[Math.floor(rand() * words.length)]!;
      parts.push(w);
      n += w.length;
    }
    const buf = Buffer.from(parts.join(''), 'latin1');
    // 'password' waits for 'ssw' (offset 2) and the byte before it: put it where that trigram is
    // the last of the first 1 MiB slice (at 2^20 - 5) and the first of the third slice, which
    // starts 3 bytes before the second one ends (at 2 * (2^20 - 3) + 3 - 4).
    for (const at of [2 ** 20 - 5, 2 * (2 ** 20 - 3) - 1, 2 ** 20 - 300]) buf.write('password', at, 'latin1');
    // 'SG.' (a literal that starts with its trigram) as the first three bytes of the fourth slice: found once.
    buf.write('SG.', 3 * (2 ** 20 - 3), 'latin1');
    const wasm = all(new LiteralSet(literals), buf);
    const js = all(new LiteralSet(literals, { wasm: false }), buf);
    expect(wasm.length).toBeGreaterThan(100_000);
    expect(wasm).toEqual(js);
  });

  it('reports a literal at a slice edge once', () => {
    // The fourth 1 MiB slice starts 3 bytes before the third one ends: 'SG.' there is in both.
    const buf = Buffer.alloc(3 * 2 ** 20 + 100, 0x61);
    buf.write('SG.', 3 * (2 ** 20 - 3), 'latin1');
    buf.write('password', 2 * (2 ** 20 - 3) - 1, 'latin1');
    expect(all(new LiteralSet(literals), buf)).toEqual([`${2 * (2 ** 20 - 3) - 1}:2`, `${3 * (2 ** 20 - 3)}:1`]);
  });

  it('finds the same places in short and empty input', () => {
    for (const text of ['', 'x', 'SG', 'SG.', 'Q~', 'a password b', 'tokentoken']) {
      const buf = Buffer.from(text, 'latin1');
      expect(all(new LiteralSet(literals), buf)).toEqual(all(new LiteralSet(literals, { wasm: false }), buf));
    }
  });
});

describe('LazyLiteralSet', () => {
  const keys = ['~password', '=SG.', '~q~', '~token'];
  const trigrams = keys.map(literalTrigram);
  const all = occurrences;
  const built = (set: LazyLiteralSet) => (set as unknown as { set?: { wasm?: unknown } }).set;

  it('searches a small input literal by literal, and finds what the LiteralSet finds', () => {
    const set = new LazyLiteralSet(keys, trigrams);
    const text = 'PASSWORD=1 SG.x sg.y Q~ TOKEN token';
    expect(all(set, text)).toEqual(['0:0', '11:1', '21:2', '24:3', '30:3']);
    expect(built(set)).toBeUndefined();
  });

  it('with largeInput, uses the LiteralSet from the first input, its scanner made by prepare()', () => {
    const set = new LazyLiteralSet(keys, trigrams, true);
    set.prepare();
    expect(built(set)?.wasm).toBeTruthy();
    expect(all(set, 'PASSWORD=1 SG.x sg.y Q~ TOKEN token')).toEqual(['0:0', '11:1', '21:2', '24:3', '30:3']);
  });
});
