import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { scanFile } from '../../src/detect/file-scan.js';
import type { RuleSpec } from '../../src/types.js';

// scanFile reads every file into one buffer kept from file to file: no bytes of one file may
// show up in the scan of the next.
const rule: RuleSpec = {
  id: 'acme-token', name: 'acme', provider: 'acme', providerName: 'Acme', severity: 'high', keywords: ['acme_'], keywordCase: 'any',
  pattern: '\\b(acme_[a-z0-9]{40})\\b', scope: 'line', allow: [], allowContext: [], fallback: false,
  examples: [], negativeExamples: [], references: [], source: 'test',
  revocation: { urgency: 'rotate', summary: 's', url: null, steps: ['s'], api: null, after: ['a'] },
};
const detector = new Detector({ rules: [rule], placeholders: [] });
const dir = mkdtempSync(path.join(tmpdir(), 'secretscan-file-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanFile', () => {
  it('scans each file alone, a short one after a long one and the long one again', () => {
    const token = `acme_${'7'.repeat(40)}`;
    const long = path.join(dir, 'long.txt');
    const short = path.join(dir, 'short.txt');
    const empty = path.join(dir, 'empty.txt');
    // The key sits 150,005 bytes in, right where the short file ends: bytes the buffer still holds.
    writeFileSync(long, `${'x'.repeat(150_000)}\nkey ${token}\n${'y'.repeat(100)}`);
    writeFileSync(short, `${'z'.repeat(150_000)}\nkey `);
    writeFileSync(empty, '');
    const secrets = (file: string) => scanFile(detector, file, 1 << 30).matches.map((m) => `${m.line}:${m.secret}`);
    expect(secrets(long)).toEqual([`2:${token}`]);
    expect(secrets(short)).toEqual([]);
    expect(scanFile(detector, short, 1 << 30).bytes).toBe(150_005);
    expect(secrets(empty)).toEqual([]);
    expect(secrets(long)).toEqual([`2:${token}`]);
  });
});
