import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, expectOneLineError, jsonReport, runCli } from '../support/cli.js';
import { useFixtureImages } from '../support/images.js';

// End to end: the built CLI (`npm run build` first) on fixture images built by script.
const images = useFixtureImages();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-image-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(() => {
  expect(existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli', 'image-command.js')), 'run `npm run build` first').toBe(true);
});

interface OriginJson {
  image: string;
  platform: string;
  layer?: number;
  layerDigest?: string;
  createdBy?: string;
  visible: boolean;
  deletedBy?: number;
}

describe('secretscan image: reports', () => {
  it('exits 1 and says, for each finding, its layer, build step and whether the final image still has it', () => {
    const run = runCli(['image', images().dockerArchive, '--no-config']);
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stdout.split('\n');
    const after = (heading: string) => lines[lines.indexOf(heading) + 2]!;
    expect(after('/app/config/.env')).toMatch(
      /secretscan-fixture\/app:1\.0 linux\/amd64 · layer 0 sha256:[a-f0-9]{12} · ADD file:4f1c2d9e in \/ · deleted by layer 1 \(still in the image for anyone who pulls it\)$/,
    );
    expect(after('/app/server.js')).toMatch(/· layer 2 sha256:[a-f0-9]{12} · COPY server\.js settings\.yml \/app\/ # buildkit · still in the final image$/);
    expect(after('/app/settings.yml')).toMatch(/· replaced by layer 2 \(still in the image for anyone who pulls it\)$/);
    expect(after('<config>/Env')).toMatch(/· image config · in every pull of the image$/);
    expect(run.stdout).toContain('Deleted in a later layer is not removed');
    expect(run.stdout).toMatch(/Skipped 2 \(2 binary\)/);
    // Secrets are redacted, build steps included.
    for (const key of Object.values(images().keys)) expect(run.stdout).not.toContain(key);
  });

  it('JSON: every location carries image, platform, layer, digest, step, visible and deletedBy', () => {
    const run = runCli(['image', images().ociDir, '--no-config', '-f', 'json']);
    expect(run.status, run.stderr).toBe(1);
    const report = jsonReport(run);
    const deleted = report.findings.find((f) => f.ruleId === 'stripe-live-secret-key')!;
    const origins = deleted.locations.map((l) => (l as unknown as { origin: OriginJson }).origin);
    expect(origins.map((o) => [o.platform, o.layer, o.visible, o.deletedBy])).toEqual([
      ['linux/amd64', 0, false, 1],
      ['linux/arm64/v8', 0, false, 1],
    ]);
    expect(origins[0]!.layerDigest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(report.summary.files).toBeGreaterThan(20);
    expect(run.stdout).not.toContain(images().keys.deleted);
  });

  it('--platform scans one platform of a multi-platform index', () => {
    const all = jsonReport(runCli(['image', images().ociTar, '--no-config', '-f', 'json']));
    const arm = jsonReport(runCli(['image', images().ociTar, '--no-config', '-f', 'json', '--platform', 'linux/arm64']));
    const platforms = (r: typeof all) => [...new Set(r.findings.flatMap((f) => f.locations.map((l) => (l as unknown as { origin: OriginJson }).origin.platform)))].sort();
    expect(platforms(all)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(platforms(arm)).toEqual(['linux/arm64/v8']);
  });

  it('--no-fail exits 0 after a complete scan', () => {
    expect(runCli(['image', images().amd64OciDir, '--no-config', '--no-fail']).status).toBe(0);
  });
});

describe('secretscan image: baselines and .gitleaksignore', () => {
  it('a baseline made from an image report accepts every finding of the same image', () => {
    const full = jsonReport(runCli(['image', images().dockerArchive, '--no-config', '-f', 'json']));
    expect(full.findings.length).toBeGreaterThan(0);
    const report = path.join(scratch, 'image-report.json');
    writeFileSync(report, JSON.stringify(full));
    const baseline = path.join(scratch, 'image-baseline.json');
    expect(runCli(['baseline', 'create', '--from', report, '-o', baseline, '--no-config', '-q']).status).toBe(0);
    const run = runCli(['image', images().dockerArchive, '--no-config', '-f', 'json', '--baseline', baseline]);
    expect(run.status, run.stderr).toBe(0);
    const after = jsonReport(run);
    expect(after.findings).toEqual([]);
    expect(after.suppressed.baseline).toBe(full.findings.reduce((n, f) => n + f.locations.length, 0));
  });

  it('a baselined key quoted in a build step is redacted there like any other', () => {
    const full = jsonReport(runCli(['image', images().dockerArchive, '--no-config', '-f', 'json']));
    const report = path.join(scratch, 'run-line-only.json');
    writeFileSync(report, JSON.stringify({ ...full, findings: full.findings.filter((f) => f.ruleId === 'npm-access-token') }));
    const baseline = path.join(scratch, 'run-line-baseline.json');
    expect(runCli(['baseline', 'create', '--from', report, '-o', baseline, '--no-config', '-q']).status).toBe(0);
    for (const format of ['json', 'text', 'sarif']) {
      const run = runCli(['image', images().dockerArchive, '--no-config', '-f', format, '--baseline', baseline]);
      if (format === 'json') expect(run.stdout).toContain('NPM_TOKEN=npm_…');
      expect(run.stdout + run.stderr).not.toContain(images().keys.runLine);
    }
  });

  it('a .gitleaksignore entry file:rule:line names a file in a layer', () => {
    const full = jsonReport(runCli(['image', images().dockerArchive, '--no-config', '-f', 'json']));
    const finding = full.findings.find((f) => f.ruleId === 'github-personal-access-token' && f.locations.some((l) => l.path.includes('application.properties')))!;
    expect(finding).toBeDefined();
    const loc = finding.locations.find((l) => l.path.includes('application.properties'))!;
    const ignore = path.join(scratch, 'image.gitleaksignore');
    writeFileSync(ignore, `${loc.path}:github-pat:${loc.line}\n`);
    const after = jsonReport(runCli(['image', images().dockerArchive, '--no-config', '-f', 'json', '--gitleaks-ignore', ignore]));
    expect(after.suppressed.gitleaksignore).toBe(1);
    const left = after.findings.find((f) => f.id === finding.id);
    expect(left?.locations.map((l) => l.path) ?? []).not.toContain(loc.path);
  });
});

describe('secretscan image: errors', () => {
  it('a target that is neither a path nor a reference: exit 2, one line', () => {
    expectOneLineError(runCli(['image', 'Not An Image!', '--no-config']), /neither a file or directory here nor an image reference/);
    expectOneLineError(runCli(['image', './nothing-here.tar', '--no-config']), /nothing-here\.tar: no such file or directory/);
  });

  it('a directory that is no image layout, a gzip-compressed archive: exit 2 with what to do', () => {
    expectOneLineError(runCli(['image', scratch, '--no-config']), /neither a docker save archive \(no manifest\.json\) nor an OCI image layout/);
    const gz = path.join(scratch, 'app.tar.gz');
    writeFileSync(gz, gzipSync(readFileSync(images().dockerArchive)));
    const run = runCli(['image', gz, '--no-config']);
    expectOneLineError(run, /gzip-compressed file/);
    expect(run.stderr).toContain('hint: decompress it first, e.g. gunzip -k app.tar.gz');
  });

  it('a layer that does not match its digest: the report lists it and what the other layers hold, and the run exits 2', () => {
    const dir = path.join(scratch, 'damaged');
    cpSync(images().amd64OciDir, dir, { recursive: true });
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const manifest = JSON.parse(readFileSync(path.join(dir, 'blobs/sha256', index.manifests[0]!.digest.slice(7)), 'utf8')) as { layers: { digest: string }[] };
    const blob = path.join(dir, 'blobs/sha256', manifest.layers[1]!.digest.slice(7));
    const bytes = readFileSync(blob);
    bytes[bytes.indexOf('webhook = disabled')] = 0x57;
    writeFileSync(blob, bytes);
    const run = runCli(['image', dir, '--no-config', '-f', 'json']);
    expect(run.status).toBe(2);
    const report = jsonReport(run);
    expect(report.skipped).toContainEqual(expect.objectContaining({ reason: 'unreadable', detail: expect.stringMatching(/^layer 1 \(sha256:[a-f0-9]{12}\) of damaged:1\.0 linux\/amd64: digest mismatch/) }));
    expect(report.findings.some((f) => f.ruleId === 'openai-api-key')).toBe(true);
    expect(run.stderr).toMatch(/^secretscan: error: layer 1 \(sha256:[a-f0-9]{12}\) of damaged:1\.0 linux\/amd64: digest mismatch, .*; this layer was not fully scanned$/m);
    // Even --no-fail does not pass an incomplete scan.
    expect(runCli(['image', dir, '--no-config', '--no-fail']).status).toBe(2);
  });
});
