import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import type { ScanResult } from '../../src/types.js';
import { withConfidence } from '../../src/findings/confidence.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { reportOptions, resultFor } from './support.js';

describe('renderText', () => {
  it('lists each finding under its file with line:column, rule and the redacted secret', () => {
    const key = stripeSecretKey();
    const text = renderText(resultFor({ 'config/.env': `# prod\nSTRIPE_SECRET_KEY=${key}\n` }), reportOptions());
    expect(text).toContain('config/.env\n');
    expect(text).toMatch(new RegExp(`^  2:${'STRIPE_SECRET_KEY='.length + 1} +CRITICAL `, 'm'));
    expect(text).toContain(key.slice(0, 4) + '…');
    expect(text).not.toContain(key);
  });

  it('prints the raw secret only when asked', () => {
    const key = stripeSecretKey();
    expect(renderText(resultFor({ '.env': `K=${key}\n` }), reportOptions({ showSecrets: true }))).toContain(key);
  });

  it('has a "How to revoke" block naming each provider with its steps', () => {
    const text = renderText(resultFor({ '.env': `K=${stripeSecretKey()}\nT=${githubToken()}\n` }), reportOptions());
    const block = text.slice(text.indexOf('How to revoke'));
    expect(text).toContain('How to revoke');
    expect(block).toContain('Stripe · ');
    expect(block).toContain('GitHub · ');
    expect(block).toMatch(/^ {4}1\. /m);
  });

  it('marks a secret seen in several places as one leak', () => {
    const key = githubToken();
    const text = renderText(resultFor({ 'a.env': `T=${key}\n`, 'b.env': `T=${key}\n` }), reportOptions());
    expect(text.match(/leak #1, 2 places/g)).toHaveLength(2);
    expect(text).toMatch(/1 leak in 2 places \(1 critical\)/);
  });

  it('says how sure each finding is, and how many leaks the confidence threshold hid', () => {
    const result = resultFor({ 'app.env': `GITHUB_TOKEN=${githubToken()}\n`, 'test/app.env': `DB_PASSWORD=${password(24)}\n` });
    const text = renderText(result, reportOptions());
    expect(text).toMatch(/^ {2}1:14 .*\[github-personal-access-token\].*\(leak #\d, high confidence\)$/m);
    expect(text).toMatch(/^ {2}1:13 .*\[generic-secret-assignment\].*\(leak #\d, low confidence\)$/m);
    expect(text).not.toContain('Not shown');
    const hidden = renderText(withConfidence(result, 'medium'), reportOptions());
    expect(hidden).toContain('Not shown: 1 leak below the confidence asked for (--confidence low shows every one)');
    expect(hidden).not.toContain('Suppressed by allowlists');
    expect(hidden).not.toContain('generic-secret-assignment');
  });

  it('says no leaks were found, without a revocation block', () => {
    const text = renderText(resultFor({ 'README.md': '# nothing to see\n' }), reportOptions());
    expect(text).toContain('no leaks found');
    expect(text).not.toContain('How to revoke');
  });

  it('counts skipped files by reason, and lists them with --verbose', () => {
    const result: ScanResult = { ...resultFor({}), skipped: [{ path: 'logo.png', reason: 'binary' }, { path: 'dump.sql', reason: 'too-large', detail: '20 MB' }] };
    expect(renderText(result, reportOptions())).toContain('Skipped 2 (1 binary, 1 too-large); --verbose lists them');
    const verbose = renderText(result, reportOptions({ verbose: true }));
    expect(verbose).toContain('  logo.png: binary');
    expect(verbose).toContain('  dump.sql: too-large (20 MB)');
  });

  it('uses no escape codes unless colour is on', () => {
    const result = resultFor({ '.env': `T=${githubToken()}\n` });
    expect(renderText(result, reportOptions())).not.toContain('\x1b[');
    expect(renderText(result, reportOptions({ color: true }))).toContain('\x1b[');
  });
});
