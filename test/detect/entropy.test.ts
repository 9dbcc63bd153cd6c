import { describe, expect, it } from 'vitest';
import { charsetOf, maxEntropy, passesEntropy, shannonEntropy } from '../../src/detect/entropy.js';

describe('shannonEntropy', () => {
  it('is 0 for an empty string and for one repeated character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
  });

  it('is log2 of the number of symbols when each occurs equally often', () => {
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('aabb')).toBe(1);
    expect(shannonEntropy('0123456789abcdef')).toBe(4);
  });

  it('weights symbols by frequency', () => {
    // p = 3/4 and 1/4: -(0.75·log2 0.75 + 0.25·log2 0.25) ≈ 0.811
    expect(shannonEntropy('aaab')).toBeCloseTo(0.8113, 4);
  });

  it('does not depend on the order of characters', () => {
    expect(shannonEntropy('abcabcxyz')).toBeCloseTo(shannonEntropy('zyxcbacba'), 12);
  });
});

describe('charsetOf', () => {
  it('calls single-case hex digits hex', () => {
    expect(charsetOf('deadbeef0123')).toBe('hex');
    expect(charsetOf('DEADBEEF0123')).toBe('hex');
    expect(charsetOf('0123')).toBe('hex');
  });

  it('calls a UUID hex: its dashes sit at fixed places', () => {
    expect(charsetOf('5eb4223e-5008-46e5-be67-c7b8f2732305')).toBe('hex');
    expect(charsetOf('5EB4223E-5008-46E5-BE67-C7B8F2732305')).toBe('hex');
    // Dashes elsewhere, or a letter past f: not a UUID.
    expect(charsetOf('5eb4223e5008-46e5-be67-c7b8f2732305')).toBe('base64');
    expect(charsetOf('5eb4223e-5008-46e5-be67-c7b8f273230g')).toBe('base64');
  });

  it('calls mixed-case hex letters alnum, since hex digests are written in one case', () => {
    expect(charsetOf('DeadBeef')).toBe('alnum');
  });

  it('tells alnum, base64 and anything else apart', () => {
    expect(charsetOf('abcXYZ789')).toBe('alnum');
    expect(charsetOf('a+b/c=')).toBe('base64');
    expect(charsetOf('a_b-c')).toBe('base64');
    expect(charsetOf('pass word!')).toBe('any');
  });
});

describe('maxEntropy', () => {
  it('is bounded by the charset and by the length of the string', () => {
    expect(maxEntropy(100, 'hex')).toBe(4);
    expect(maxEntropy(100, 'alnum')).toBeCloseTo(Math.log2(62), 10);
    expect(maxEntropy(4, 'alnum')).toBe(2);
    expect(maxEntropy(0, 'any')).toBe(0);
  });
});

describe('passesEntropy', () => {
  it('passes everything when a rule sets no gate', () => {
    expect(passesEntropy(undefined, 'aaaa', 0)).toBe(true);
  });

  it('compares with a single number, inclusive', () => {
    expect(passesEntropy(3, 'whatever', 2.99)).toBe(false);
    expect(passesEntropy(3, 'whatever', 3)).toBe(true);
  });

  it('picks the threshold for the charset of the secret', () => {
    const gate = { hex: 3, alnum: 4 };
    expect(passesEntropy(gate, 'deadbeef', 3.5)).toBe(true);
    expect(passesEntropy(gate, 'DeadBeefXyz', 3.5)).toBe(false);
  });

  it('falls back to the `any` threshold, and passes when neither is set', () => {
    expect(passesEntropy({ any: 4 }, 'abcXYZ789', 3.5)).toBe(false);
    expect(passesEntropy({ any: 4 }, 'abcXYZ789', 4.2)).toBe(true);
    expect(passesEntropy({ hex: 3 }, 'abcXYZ789', 1)).toBe(true);
  });

  it('compares a relative gate with the most entropy the string could reach', () => {
    // 'abcd' is hex of length 4: at most log2(4) = 2 bits; 'aabb' reaches 1 of them.
    expect(passesEntropy({ relative: 0.8 }, 'abcd', shannonEntropy('abcd'))).toBe(true);
    expect(passesEntropy({ relative: 0.8 }, 'aabb', shannonEntropy('aabb'))).toBe(false);
  });

  it('requires both the charset threshold and the relative gate when both are set', () => {
    const gate = { any: 3, relative: 0.5 };
    expect(passesEntropy(gate, 'abcd', 2)).toBe(false); // relative holds, absolute does not
    expect(passesEntropy(gate, 'abcdefghijklmnop', 3.5)).toBe(true);
    expect(passesEntropy({ any: 1, relative: 0.9 }, 'aabb', 1)).toBe(false); // absolute holds, relative does not
  });
});
