import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, type CliRun } from '../support/cli.js';
import { awsAccessKeyId, stripeSecretKey } from '../support/fake-keys.js';
import { writeTree } from '../support/tree.js';

// `secretscan merge` on reports written by the built CLI: what it combines, and what it refuses.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-merge-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const stripe = stripeSecretKey();
const aws = awsAccessKeyId();
let tree: string;
/** reports[k-1]: shard k of 3 of `tree`, redacted (the default). */
const reports: string[] = [];
const raw: string[] = [];

function save(name: string, run: CliRun): string {
  expect(run.status, run.stderr).not.toBe(2);
  const file = path.join(scratch, name);
  writeFileSync(file, run.stdout);
  return file;
}

beforeAll(() => {
  tree = mkdtempSync(path.join(scratch, 'tree-'));
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`f${i}.env`] = i % 5 === 0 ? `STRIPE=${stripe}\n` : i % 7 === 0 ? `AWS_ACCESS_KEY_ID=${aws}\n` : `x=${i}\n`;
  writeTree(tree, files);
  for (let k = 1; k <= 3; k++) {
    reports.push(save(`shard-${k}.json`, runCli(['dir', tree, '--no-config', '--shard', `${k}/3`, '-f', 'json'])));
    raw.push(save(`raw-${k}.json`, runCli(['dir', tree, '--no-config', '--shard', `${k}/3`, '-f', 'json', '--show-secrets'])));
  }
});

describe('secretscan merge: output', () => {
  it('renders redacted reports as text, with each provider\'s revocation guidance, and fails on findings', () => {
    const run = runCli(['merge', ...reports, '--no-config']);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('How to revoke');
    expect(run.stdout).toMatch(/Stripe/);
    expect(run.stdout).toMatch(/2 leaks in 10 places/);
    expect(run.stdout).not.toContain(stripe);
    expect(run.stdout).not.toContain(aws);
  });

  it('renders SARIF with rule help from the reports, one result per location', () => {
    const run = runCli(['merge', ...reports, '--no-config', '-f', 'sarif']);
    const sarif = JSON.parse(run.stdout) as { runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } }; results: { partialFingerprints: Record<string, string> }[] }[] };
    const [r] = sarif.runs;
    expect(r!.results).toHaveLength(10);
    expect(r!.tool.driver.rules.map((x) => x.id).sort()).toHaveLength(2);
    for (const rule of r!.tool.driver.rules) expect(rule.help.markdown).toMatch(/revoke or rotate it first/);
    expect(run.stdout).not.toContain(stripe);
  });

  it('writes --output, honours --fail-on and --no-fail', () => {
    const out = path.join(scratch, 'merged.json');
    const run = runCli(['merge', ...reports, '--no-config', '-f', 'json', '-o', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/2 leaks found, report written to/);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as { findings: unknown[]; merged: unknown; shard?: unknown; summary: { files: number } };
    expect(merged.findings).toHaveLength(2);
    expect(merged.merged).toEqual({ reports: 3, shards: 3 });
    expect(merged.shard).toBeUndefined();
    expect(merged.summary.files).toBe(30);
    expect(runCli(['merge', ...reports, '--no-config', '--no-fail']).status).toBe(0);
    expect(runCli(['merge', ...reports, '--no-config', '--fail-on', 'critical', '--exit-code', '7']).status).toBe(7); // the Stripe key is critical
  });

  it('keeps raw secrets only with --show-secrets and only when every report has them', () => {
    const run = runCli(['merge', ...raw, '--no-config', '-f', 'json', '--show-secrets']);
    expect(run.stdout).toContain(stripe);
    expect(runCli(['merge', ...raw, '--no-config', '-f', 'json']).stdout).not.toContain(stripe);
    const mixed = runCli(['merge', raw[0]!, raw[1]!, reports[2]!, '--no-config', '--show-secrets']);
    expectOneLineError(mixed, /--show-secrets: some reports hold redacted secrets only/);
  });

  it('merges scans of one target that overlap: each location once', () => {
    const full = save('full.json', runCli(['dir', tree, '--no-config', '-f', 'json']));
    const run = runCli(['merge', full, full, ...reports, '--no-config', '-f', 'json']);
    const merged = JSON.parse(run.stdout) as { findings: { locations: unknown[] }[] };
    expect(merged.findings.reduce((n, f) => n + f.locations.length, 0)).toBe(10);
  });
});

describe('secretscan merge: warnings of the scans', () => {
  it('keeps what the shards could not honour (an imported rule RE2 rejects): in JSON once, and on stderr', () => {
    const toml = path.join(scratch, 'lookbehind.toml');
    writeFileSync(toml, '[[rules]]\nid = "lookbehind"\nregex = \'\'\'(?<=key=)[a-z]{8}\'\'\'\n');
    const shards = [1, 2].map((k) => save(`warn-${k}.json`, runCli(['dir', tree, '--no-config', '--rules-from', toml, '--shard', `${k}/2`, '-f', 'json'])));
    const run = runCli(['merge', ...shards, '--no-config', '-f', 'json']);
    const merged = JSON.parse(run.stdout) as { warnings?: { source: string; message: string }[] };
    expect(merged.warnings).toHaveLength(1);
    expect(merged.warnings![0]!.message).toMatch(/RE2/);
    expect(run.stderr).toMatch(/secretscan: warning: .*lookbehind.*RE2/);
  });
});

describe('secretscan merge: what redacted reports keep', () => {
  it('keeps the AWS account each key id names, though the merged findings hold no secret to decode it from', () => {
    const keyId = `AKIAQ${awsAccessKeyId().slice(5)}`; // Q: a key of the current scheme, which names its account
    const dir = mkdtempSync(path.join(scratch, 'aws-'));
    writeTree(dir, { 'a.env': `AWS_ACCESS_KEY_ID=${keyId}\n`, 'b.env': 'x=1\n' });
    type Details = { findings: { details?: Record<string, string> }[] };
    const full = JSON.parse(runCli(['dir', dir, '--no-config', '-f', 'json']).stdout) as Details;
    const account = full.findings[0]!.details?.['AWS account'];
    expect(account).toMatch(/^\d{12}$/);
    const shards = [1, 2].map((k) => save(`aws-${k}.json`, runCli(['dir', dir, '--no-config', '--shard', `${k}/2`, '-f', 'json'])));
    const merged = JSON.parse(runCli(['merge', ...shards, '--no-config', '-f', 'json']).stdout) as Details;
    expect(merged.findings.map((f) => f.details)).toEqual([{ 'AWS account': account }]);
    expect(runCli(['merge', ...shards, '--no-config', '-f', 'text']).stdout).toContain(`AWS account ${account}`);
  });
});

describe('secretscan merge: checks', () => {
  it('fails when a shard is missing, unless --allow-partial', () => {
    expectOneLineError(runCli(['merge', reports[0]!, reports[2]!, '--no-config']), /shard 2\/3 missing/);
    const partial = runCli(['merge', reports[0]!, reports[2]!, '--no-config', '--allow-partial']);
    expect(partial.status).not.toBe(2);
    expect(partial.stderr).toMatch(/warning: shard 2\/3 missing/);
  });

  it('warns when a shard is given twice, and counts it once', () => {
    const run = runCli(['merge', ...reports, reports[1]!, '--no-config', '-f', 'json']);
    expect(run.stderr).toMatch(/warning: shard 2\/3 is given twice/);
    expect((JSON.parse(run.stdout) as { summary: { files: number } }).summary.files).toBe(30);
  });

  it('refuses shards of different totals, and reports of different targets unless --allow-mixed-targets', () => {
    const other = save('two.json', runCli(['dir', tree, '--no-config', '--shard', '1/2', '-f', 'json']));
    expectOneLineError(runCli(['merge', ...reports, other, '--no-config']), /different numbers of shards \(3, 2\)/);
    const elsewhere = mkdtempSync(path.join(scratch, 'else-'));
    writeTree(elsewhere, { 'a.txt': 'nothing\n' });
    const otherTarget = save('else.json', runCli(['dir', elsewhere, '--no-config', '-f', 'json']));
    expectOneLineError(runCli(['merge', ...reports, otherTarget, '--no-config']), /different targets/);
    const allowed = runCli(['merge', ...reports, otherTarget, '--no-config', '--allow-mixed-targets']);
    expect(allowed.status).toBe(1);
    expect(allowed.stderr).toMatch(/warning: the reports scanned different targets/);
  });

  it('warns when the reports come from different secretscan versions', () => {
    const report = JSON.parse(readFileSync(reports[0]!, 'utf8')) as { tool: { version: string } };
    report.tool.version = '0.0.1-older';
    const older = path.join(scratch, 'older.json');
    writeFileSync(older, JSON.stringify(report));
    expect(runCli(['merge', older, reports[1]!, reports[2]!, '--no-config']).stderr).toMatch(/different secretscan versions \(0\.0\.1-older, /);
  });

  it.each([
    ['not JSON', '{"findings": [', /bad\.json: not a JSON report/],
    ['a SARIF log', '{"version": "2.1.0", "runs": []}', /bad\.json: .*not a secretscan JSON report/],
    ['a finding without locations', 'FINDING:locations', /bad\.json: findings\[0\]\.locations: expected a list/],
    ['a bad severity', 'FINDING:severity', /bad\.json: findings\[0\]\.severity: expected one of/],
  ])('exits 2 naming the file on %s', (_, content, message) => {
    let text = content;
    if (content.startsWith('FINDING:')) {
      const report = JSON.parse(readFileSync(path.join(scratch, 'shard-1.json'), 'utf8')) as { findings: Record<string, unknown>[] };
      const all = reports.map((r) => JSON.parse(readFileSync(r, 'utf8')) as { findings: Record<string, unknown>[] }).find((r) => r.findings.length > 0)!;
      report.findings = [{ ...all.findings[0]!, [content.slice(8)]: content.endsWith('severity') ? 'dire' : undefined }];
      text = JSON.stringify(report);
    }
    const bad = path.join(scratch, 'bad.json');
    writeFileSync(bad, text);
    expectOneLineError(runCli(['merge', bad, '--no-config']), message);
  });

  it('exits 2 on a report that cannot be read', () => {
    expectOneLineError(runCli(['merge', path.join(scratch, 'nope.json'), '--no-config']), /cannot read report .*nope\.json: no such file \(ENOENT\)/);
  });
});
