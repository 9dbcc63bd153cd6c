import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { scanFile } from '../../src/detect/file-scan.js';
import { loadBuiltinRules } from '../../src/rules/builtin.js';
import { githubToken } from '../support/fake-keys.js';

// scanFile reads every file into one buffer kept from file to file: no bytes of one file may
// show up in the scan of the next.
const detector = new Detector(loadBuiltinRules());
const dir = mkdtempSync(path.join(tmpdir(), 'secretscan-file-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanFile', () => {
  it('scans each file alone, a short one after a long one and the long one again', () => {
    const token = githubToken();
    const long = path.join(dir, 'long.txt');
    const short = path.join(dir, 'short.txt');
    const empty = path.join(dir, 'empty.txt');
    // The key sits 150,009 bytes in, right where the short file ends: bytes the buffer still holds.
    writeFileSync(long, `${'x'.repeat(150_000)}\ntoken = ${token}\n${'y'.repeat(100)}`);
    writeFileSync(short, `${'z'.repeat(150_000)}\ntoken = `);
    writeFileSync(empty, '');
    const secrets = (file: string) => scanFile(detector, file, 1 << 30).matches.map((m) => `${m.line}:${m.secret}`);
    expect(secrets(long)).toEqual([`2:${token}`]);
    expect(secrets(short)).toEqual([]);
    expect(scanFile(detector, short, 1 << 30).bytes).toBe(150_009);
    expect(secrets(empty)).toEqual([]);
    expect(secrets(long)).toEqual([`2:${token}`]);
  });
});
