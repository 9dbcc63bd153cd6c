import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import { awsAccessKeyId, githubToken, password } from '../support/fake-keys.js';
import { reportOptions, resultFor } from './support.js';

/** What the Actions runner does to a property value: the inverse of the escaping. */
function unescapeProperty(s: string): string {
  return s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

describe('GitHub workflow command escaping', () => {
  it('escapes % CR LF in data, and : , too in properties', () => {
    expect(escapeData('100%\r\nok: a,b')).toBe('100%25%0D%0Aok: a,b');
    expect(escapeProperty('100%\r\nok: a,b')).toBe('100%25%0D%0Aok%3A a%2Cb');
    expect(escapeProperty('%3A')).toBe('%253A');
    const odd = 'dir,x/a:b%2C\r\nc.env';
    expect(unescapeProperty(escapeProperty(odd))).toBe(odd);
  });
});

describe('renderGithub', () => {
  const gh = githubToken();
  const aws = awsAccessKeyId();
  const result = resultFor({ 'dir,x/a:b%.env': `GITHUB_TOKEN=${gh}\n`, 'c.env': `\nAWS_ACCESS_KEY_ID=${aws}\n` });

  it('writes one annotation per location with file, lines, columns and title, then a summary', () => {
    const lines = renderGithub(result, reportOptions()).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(0, 2)) expect(line).toMatch(/^::(error|warning|notice) file=[^,]+,line=\d+,endLine=\d+,col=\d+,endColumn=\d+,title=[^,:]+::[^\r\n]+$/);
    const ghLine = lines.find((l) => l.includes('file=dir%2Cx/a%3Ab%25.env'))!;
    expect(ghLine).toMatch(/,line=1,endLine=1,col=14,/);
    const finding = result.findings.find((f) => f.secret === gh)!;
    expect(ghLine.startsWith(`::${finding.severity === 'critical' || finding.severity === 'high' ? 'error' : finding.severity === 'medium' ? 'warning' : 'notice'} `)).toBe(true);
    expect(ghLine).toContain(finding.redacted);
    expect(ghLine).toContain(`::${finding.severity}, high confidence: ${finding.redacted} leaked here`);
    expect(ghLine).toContain('%0A'); // the revocation summary on its own line
    expect(lines.find((l) => l.includes('file=c.env'))).toMatch(/,line=2,/);
    expect(lines[2]).toMatch(/^secretscan: 2 leaks in 2 places/);
  });

  it('says a weak finding\'s confidence in its message', () => {
    const line = renderGithub(resultFor({ 'examples/db.env': `DB_PASSWORD=${password(24)}\n` }), reportOptions()).split('\n')[0]!;
    expect(line).toMatch(/^::warning file=examples\/db\.env,.*::medium, low confidence: /);
  });

  it('maps severities to error, warning and notice', () => {
    const leveled = (severity: any) => renderGithub({ ...result, findings: [{ ...result.findings[0]!, severity }] }, reportOptions()).split(' ')[0];
    expect(['critical', 'high', 'medium', 'low', 'info'].map(leveled)).toEqual(['::error', '::error', '::warning', '::notice', '::notice']);
  });

  it('never prints the raw secret unless asked', () => {
    expect(renderGithub(result, reportOptions())).not.toContain(gh);
    expect(renderGithub(result, reportOptions({ showSecrets: true }))).toContain(gh);
  });
});
