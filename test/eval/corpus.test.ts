import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without type declarations
import { generateCorpus } from '../../fixtures/corpus/generate.mjs';
// @ts-expect-error plain ESM module without type declarations
import { score } from './score.mjs';

interface Label {
  file: string;
  line: number;
  column: number;
  provider: string;
  kind: string;
  secret: string;
  value?: string;
  encoding?: string;
  optional?: boolean;
}

const dirs: string[] = [];
function render(seed: string) {
  const outDir = mkdtempSync(join(tmpdir(), 'secretscan-corpus-test-'));
  dirs.push(outDir);
  return generateCorpus({ outDir, seed }) as { root: string; labels: Label[]; files: number };
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n: number): string {
  let out = '';
  for (; n > 0; n = Math.floor(n / 62)) out = BASE62[n % 62] + out;
  return out.padStart(6, '0');
}

describe('accuracy corpus', () => {
  const corpus = render('unit-test');

  it('renders the same corpus for the same seed and a different one for another seed', () => {
    expect(render('unit-test').labels).toEqual(corpus.labels);
    expect(render('another-seed').labels.map((l) => l.secret)).not.toEqual(corpus.labels.map((l) => l.secret));
  });

  it('labels the line and column where each planted text starts', () => {
    for (const label of corpus.labels) {
      const text = readFileSync(join(corpus.root, label.file), 'utf8').replace(/^\ufeff/, '');
      const line = text.split(/\r?\n/)[label.line - 1] ?? '';
      const planted = (label.value ?? label.secret).split('\n')[0];
      expect(line.slice(label.column - 1), `${label.file}:${label.line}`).toMatch(new RegExp('^' + planted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
  });

  it('gives GitHub and npm tokens a valid CRC32 checksum', () => {
    const checksummed = corpus.labels.filter((l) => /^(gh[pousr]|npm)_/.test(l.secret));
    expect(checksummed.length).toBeGreaterThan(10);
    for (const { secret } of checksummed) {
      const body = secret.slice(secret.indexOf('_') + 1);
      expect(body.slice(30), secret).toBe(base62(crc32(body.slice(0, 30))));
    }
  });

  it('hides the secret itself inside base64-encoded plants', () => {
    const encoded = corpus.labels.filter((l) => l.encoding && /b64|basic|dockerconfigjson/.test(l.encoding));
    expect(encoded.length).toBeGreaterThan(5);
    for (const label of encoded) {
      let decoded = Buffer.from(label.value!, 'base64').toString('utf8');
      if (label.encoding === 'dockerconfigjson') decoded = JSON.parse(decoded).auths[Object.keys(JSON.parse(decoded).auths)[0]!].password;
      // a connection string keeps its password percent-encoded inside the base64
      const readable = decoded.includes('://') ? decodeURIComponent(decoded) : decoded;
      expect(readable, label.file).toContain(label.secret.split('\n')[0]);
    }
  });
});

describe('scoring', () => {
  const labels: Label[] = [
    { file: 'a/.env', line: 2, column: 1, provider: 'aws', kind: 'aws-access-key-id', secret: 'AKIAEXAMPLEEXAMPLE12' },
    { file: 'a/.env', line: 3, column: 1, provider: 'aws', kind: 'aws-secret-access-key', secret: 'S'.repeat(40) },
    { file: 'a/.env', line: 5, column: 1, provider: 'twilio', kind: 'twilio-account-sid', secret: 'AC1', optional: true },
  ];
  const at = (line: number, provider: string, secret: string) => ({ path: 'a/.env', line, column: 1, ruleId: `${provider}-rule`, provider, secret });

  it('credits a finding to the label whose secret it reports, so it cannot cover a neighbour', () => {
    const result = score(labels, [at(2, 'aws', 'AKIAEXAMPLEEXAMPLE12')]);
    expect(result.overall).toMatchObject({ labels: 2, found: 1, missed: 1, falsePositives: 0 });
    expect(result.misses[0].kind).toBe('aws-secret-access-key');
  });

  it('accepts a line off by one, and counts a wrong provider as a miss and a false positive', () => {
    const result = score(labels, [at(1, 'aws', 'AKIAEXAMPLEEXAMPLE12'), at(3, 'generic', 'S'.repeat(40))]);
    expect(result.overall).toMatchObject({ found: 1, missed: 1, falsePositives: 1 });
    expect(result.falsePositives[0]).toMatchObject({ nearLabel: 'aws/aws-secret-access-key', wrongProvider: true });
  });

  it('neither requires nor penalises optional labels', () => {
    expect(score(labels, [at(5, 'twilio', 'AC1')]).overall).toMatchObject({ labels: 2, found: 0, falsePositives: 0 });
  });
});
