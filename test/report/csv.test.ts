import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/report/csv.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { reportOptions, resultFor } from './support.js';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && cell === '') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') { cell += '"'; i += 2; }
        else if (text[i] === '"') { i++; break; }
        else if (i >= text.length) throw new Error('unterminated quote');
        else cell += text[i++];
      }
    } else if (text[i] === ',') { row.push(cell); cell = ''; i++; }
    else if (text.startsWith('\r\n', i)) { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; }
    else if (text[i] === '\n' || text[i] === '\r' || text[i] === '"') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
    else cell += text[i++];
  }
  if (cell !== '' || row.length) throw new Error('last record lacks CRLF');
  return rows;
}

describe('renderCsv', () => {
  const stripe = stripeSecretKey();
  const gh = githubToken();
  const names = ['a,b "c".env', 'line\nbreak.env', '=HYPERLINK("x").env', '+1.env', '-x.env', '@y.env', '\tz.env', 'plain.env'];
  const result = resultFor(Object.fromEntries(names.map((n, i) => [n, i % 2 ? `GITHUB_TOKEN=${gh}\n` : `\nSTRIPE_SECRET_KEY=${stripe}\n`])));

  it('parses back to a header and one row per location', () => {
    const rows = parseCsv(renderCsv(result, reportOptions()));
    expect(rows[0]).toEqual(['rule', 'provider', 'severity', 'path', 'line', 'column', 'secret', 'fingerprint', 'commit', 'layer', 'confidence']);
    expect(rows).toHaveLength(1 + names.length);
    for (const r of rows) expect(r).toHaveLength(11);
    const byPath = new Map(rows.slice(1).map((r) => [r[3], r]));
    expect(byPath.get('a,b "c".env')?.[4]).toBe('2');
    expect(byPath.get('line\nbreak.env')?.[4]).toBe('1');
    expect(byPath.get('plain.env')?.[6]).toBe(result.findings.find((f) => f.secret === gh)!.redacted);
    expect(byPath.get('plain.env')?.[7]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives each row its finding\'s confidence', () => {
    const mixed = resultFor({ 'app.env': `GITHUB_TOKEN=${gh}\n`, 'test/app.env': `DB_PASSWORD=${password(24)}\n`, '.env': `DB_PASSWORD=${password(24)}\n` });
    const rows = parseCsv(renderCsv(mixed, reportOptions())).slice(1);
    expect(Object.fromEntries(rows.map((r) => [r[3], r[10]]))).toEqual({ 'app.env': 'high', 'test/app.env': 'low', '.env': 'medium' });
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    const paths = parseCsv(renderCsv(result, reportOptions())).slice(1).map((r) => r[3]);
    expect(paths).toEqual(expect.arrayContaining(["'=HYPERLINK(\"x\").env", "'+1.env", "'-x.env", "'@y.env", "'\tz.env"]));
    for (const p of paths) expect(p).not.toMatch(/^[=+\-@\t]/);
  });

  it('holds redacted secrets unless asked', () => {
    expect(renderCsv(result, reportOptions())).not.toContain(stripe);
    expect(renderCsv(result, reportOptions({ showSecrets: true }))).toContain(stripe);
  });
});
