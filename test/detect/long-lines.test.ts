import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { linesAround } from '../../src/detect/prefilter.js';
import type { RuleSpec } from '../../src/types.js';

// Line-scoped rules search windows around each keyword on very long lines (minified bundles).
const rule: RuleSpec = {
  id: 'acme-token', name: 'acme', provider: 'acme', providerName: 'Acme', severity: 'high', keywords: ['acme_'], keywordCase: 'any',
  pattern: '\\b(acme_[a-z0-9]{40})\\b', scope: 'line', allow: [], allowContext: [], fallback: false,
  examples: [], negativeExamples: [], references: [], source: 'test',
  revocation: { urgency: 'rotate', summary: 's', url: null, steps: ['s'], api: null, after: ['a'] },
};
const detector = new Detector({ rules: [rule], placeholders: [] });
const token = (c: string) => `acme_${c.repeat(40)}`;

describe('long lines', () => {
  it('finds keys anywhere on a 200 KB line, at their true column, each once', () => {
    const parts = ['a'.repeat(50_000), token('1'), 'b'.repeat(60_000), token('2'), 'c'.repeat(100), token('3'), 'd'.repeat(90_000)];
    const line = parts.join(';');
    const found = detector.scan(Buffer.from(`first line\n${line}\nlast`));
    expect(found.map((m) => m.secret)).toEqual([token('1'), token('2'), token('3')]);
    expect(found.map((m) => m.line)).toEqual([2, 2, 2]);
    expect(found[0]!.column).toBe(line.indexOf(token('1')) + 1);
    expect(found[2]!.column).toBe(line.indexOf(token('3')) + 1);
  });

  it('searches a long line in merged windows around the hits, short lines whole', () => {
    const buf = Buffer.from(`short acme_ line\n${'x'.repeat(100_000)}\n`);
    const long = 17;
    expect(linesAround(buf, [6])).toEqual([[0, 16]]);
    expect(linesAround(buf, [long + 50_000, long + 50_010, long + 90_000])).toEqual([
      [long + 50_000 - 1536, long + 50_010 + 2048],
      [long + 90_000 - 1536, long + 90_000 + 2048],
    ]);
    expect(linesAround(buf, [long + 10])).toEqual([[long, long + 10 + 2048]]);
  });
});
