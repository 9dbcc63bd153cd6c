import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { Prefilter } from '../../src/detect/prefilter.js';
import { CompiledRule } from '../../src/rules/compile.js';
import { loadBuiltinRules } from '../../src/rules/builtin.js';
import type { RuleSpec } from '../../src/types.js';

// A keyword that begins with a line break ("\nEAA": a value at the start of a line) also stands at
// the start of the text: a file's first line has no line break before it.

const { rules, placeholders } = loadBuiltinRules();
const detector = new Detector({ rules, placeholders });
/** A made-up token in the layout of a Meta access token: EAA and 150 letters and digits. */
const token = `EAA${'Zq7Xw2Rt9Lp4Nv6Hs1Kd8Fg3Jb5Mc0Ye'.repeat(5)}`;

describe('keywords that begin with a line break', () => {
  const rule = { id: 'acme-line-token', name: 'Acme token at a line start', provider: 'acme', keywords: ['\nacme_'], pattern: '(?m:^)(acme_[a-z0-9]{12})' } as unknown as RuleSpec;
  const prefilter = new Prefilter([new CompiledRule(rule)]);

  it('hit at the start of the text as after a line break, and nowhere else', () => {
    expect(prefilter.run(Buffer.from('acme_abcdef123456\n'), undefined).rules.has(0)).toBe(true);
    expect(prefilter.run(Buffer.from('x\nACME_abcdef123456\n'), undefined).rules.has(0)).toBe(true);
    expect(prefilter.run(Buffer.from('xacme_abcdef123456\n'), undefined).rules.has(0)).toBe(false);
    expect(prefilter.run(Buffer.from('acm'), undefined).rules.has(0)).toBe(false);
  });

  it('let a Meta token that is the whole file be found, as it is on a later line', () => {
    const ids = (text: string) => detector.scan(Buffer.from(text)).map((m) => m.ruleId);
    expect(ids(`${token}\n`)).toEqual(['facebook-access-token-unnamed']);
    expect(ids(token)).toEqual(['facebook-access-token-unnamed']);
    expect(ids(`# page token\n${token}\n`)).toEqual(['facebook-access-token-unnamed']);
    // Inside a longer base64 run it is no token, at the start as elsewhere.
    expect(ids(`${token}+/abc=\n`)).toEqual([]);
  });
});
