import { describe, expect, it } from 'vitest';
import { LiteralSet } from '../../src/detect/literals.js';

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
