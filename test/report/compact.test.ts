import { describe, expect, it } from 'vitest';
import { renderCompact } from '../../src/report/compact.js';
import type { Finding, ScanResult } from '../../src/types.js';

// The hook's short report: one line per place, and nothing from the scanned data that could drive the terminal.
function finding(paths: string[]): Finding {
  return {
    id: 'f1',
    ruleId: 'stripe-live-secret-key',
    ruleName: 'Stripe live secret key',
    provider: 'stripe',
    providerName: 'Stripe',
    severity: 'critical',
    secret: 'sk_live_0123456789abcdefghijklmnop',
    redacted: 'sk_l…(32 chars)',
    locations: paths.map((p, i) => ({ path: p, line: i + 1, column: 1, endLine: i + 1, endColumn: 33, fingerprint: `fp${i}` })),
  } as Finding;
}

const result = (findings: Finding[]): ScanResult => ({ target: '.', findings, skipped: [], suppressed: {}, stats: { files: 1, bytes: 1, durationMs: 1 } });

describe('renderCompact', () => {
  it('prints one line per place, redacted, and nothing for a clean scan', () => {
    expect(renderCompact(result([finding(['.env', 'b/.env'])]), { showSecrets: false })).toBe(
      '.env:1  stripe-live-secret-key  sk_l…(32 chars)\nb/.env:2  stripe-live-secret-key  sk_l…(32 chars)\n',
    );
    expect(renderCompact(result([]), { showSecrets: false })).toBe('');
  });

  it('escapes control characters in a file name', () => {
    const out = renderCompact(result([finding(['evil\x1b[2J\r.env'])]), { showSecrets: false });
    expect(out).toBe('evil\\x1b[2J\\x0d.env:1  stripe-live-secret-key  sk_l…(32 chars)\n');
  });
});
