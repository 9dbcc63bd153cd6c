import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeSecretKey } from '../support/fake-keys.js';

/**
 * bin/secretscan.js runs the bundled CLI (dist/bundle/cli.cjs) with the V8 code cache the build
 * made for it (bin/load-cli.js). The cache is used only for the build of the script it was made for, and
 * a cache that cannot be used costs the compile, never the scan. Run on a copy of the built bin/,
 * dist/ and rules/ (`npm run build` first, as `npm test` does).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let dir: string;
let bundle: string;
let cache: string;
let cacheBytes: Buffer;
let target: string;

function scan(): { cache: string; findings: string[] } {
  const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'secretscan.js'), 'dir', target, '-f', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, SECRETSCAN_DEBUG: '1' },
  });
  expect(r.status, r.stderr).toBe(1);
  const used = /^secretscan: debug: bundled CLI, code cache (\w+)$/m.exec(r.stderr)?.[1] ?? `no debug line in: ${r.stderr}`;
  return { cache: used, findings: (JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId) };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-code-cache-'));
  for (const d of ['bin', 'dist', 'rules']) cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  bundle = path.join(dir, 'dist', 'bundle', 'cli.cjs');
  cache = `${bundle}.cache`;
  cacheBytes = readFileSync(cache);
  target = path.join(dir, 'target');
  cpSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
  writeFileSync(path.join(target, '.env'), `STRIPE_SECRET_KEY=${stripeSecretKey()}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled CLI’s code cache', () => {
  it('is used as built', () => {
    expect(scan()).toEqual({ cache: 'used', findings: ['stripe-live-secret-key'] });
  });

  it('is not used for a script of another build (the digest its last line names)', () => {
    const original = readFileSync(bundle);
    try {
      const text = original.toString('latin1');
      const line = /\n\/\/# secretscan-build sha256:([0-9a-f]{64})\n$/.exec(text);
      expect(line).not.toBeNull();
      const other = createHash('sha256').update('another build').digest('hex');
      writeFileSync(bundle, `${text.slice(0, line!.index)}\n//# secretscan-build sha256:${other}\n`, 'latin1');
      expect(scan()).toEqual({ cache: 'stale', findings: ['stripe-live-secret-key'] });
    } finally {
      writeFileSync(bundle, original);
    }
  });

  it('costs only the compile when V8 refuses it', () => {
    try {
      const spoiled = Buffer.from(cacheBytes);
      // The digest still matches; V8's own header (its version hash) does not.
      for (let i = 32; i < 48; i++) spoiled[i] ^= 0xff;
      writeFileSync(cache, spoiled);
      expect(scan()).toEqual({ cache: 'rejected', findings: ['stripe-live-secret-key'] });
    } finally {
      writeFileSync(cache, cacheBytes);
    }
  });

  it('is optional', () => {
    try {
      rmSync(cache);
      expect(scan()).toEqual({ cache: 'none', findings: ['stripe-live-secret-key'] });
    } finally {
      writeFileSync(cache, cacheBytes);
    }
    expect(scan().cache).toBe('used');
  });
});

describe('the bundled CLI script', () => {
  it('ends with the SHA-256 of its code, as the build computed it', () => {
    const bytes = readFileSync(path.join(ROOT, 'dist', 'bundle', 'cli.cjs'));
    const text = bytes.toString('latin1');
    const line = /\n\/\/# secretscan-build sha256:([0-9a-f]{64})\n$/.exec(text)!;
    expect(line[1]).toBe(createHash('sha256').update(bytes.subarray(0, line.index)).digest('hex'));
    // The cache starts with the same digest.
    expect(readFileSync(path.join(ROOT, 'dist', 'bundle', 'cli.cjs.cache')).subarray(0, 32).toString('hex')).toBe(line[1]);
  });

  it('has no import() left: a vm.Script has no module loader to run one', () => {
    const text = readFileSync(path.join(ROOT, 'dist', 'bundle', 'cli.cjs'), 'latin1');
    expect(text.length).toBeGreaterThan(100_000);
    expect(text).not.toMatch(/\bimport\(/);
    expect(text).not.toMatch(/import\.meta/);
  });
});
