import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonReport } from '../../src/report/read-json.js';
import { mergeReports } from '../../src/report/merge.js';
import { compareLocations, originKind, originPlace, readOrigin, type ImageLayerOrigin } from '../../src/types.js';
import { runCli } from '../support/cli.js';
import { githubToken } from '../support/fake-keys.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

// The typed origin of a location: its kind, its place, and reports written before origins carried `kind`.
const tempDir = useTempDirs();

const layer = (image: string, index: number): ImageLayerOrigin => ({ kind: 'image-layer', source: 'image-layer', image, platform: 'linux/amd64', layer: index, visible: true });

describe('Origin', () => {
  it('tells kinds apart by `kind`, and origins without one (older reports) by their fields', () => {
    expect(originKind({ kind: 'git-message', commit: 'a' })).toBe('git-message');
    expect(originKind({ commit: 'a', author: 'x', blob: 'b' })).toBe('git-blob');
    expect(originKind({ commit: 'a', author: 'x' })).toBe('git-message');
    expect(originKind({ source: 'image-config', image: 'i' })).toBe('image-config');
    expect(originKind({ source: 'image-layer', image: 'i' })).toBe('image-layer');
    expect(originKind({ repository: 'https://example.invalid/r' })).toBe('file');
    expect(originKind(undefined)).toBeUndefined();
    expect(readOrigin({ commit: 'a', author: 'x', blob: 'b' })).toEqual({ kind: 'git-blob', commit: 'a', author: 'x', blob: 'b' });
  });

  it('keys image places by image, platform and layer, and other places by path', () => {
    expect(originPlace('/app/.env', layer('a', 0))).not.toBe(originPlace('/app/.env', layer('a', 1)));
    expect(originPlace('/app/.env', layer('a', 0))).not.toBe(originPlace('/app/.env', layer('b', 0)));
    expect(originPlace('src/a.env', undefined)).toBe('src/a.env');
    const at = (p: string, origin?: ImageLayerOrigin) => ({ path: p, line: 1, column: 1, ...(origin ? { origin } : {}) });
    const sorted = [at('/z', layer('a', 2)), at('/a', layer('b', 0)), at('/b', layer('a', 2)), at('/y', layer('a', 0))].sort(compareLocations);
    expect(sorted.map((l) => `${l.origin!.image}${l.origin!.layer}${l.path}`)).toEqual(['a0/y', 'a2/b', 'a2/z', 'b0/a']);
  });

  it('reads a history report written before origins carried `kind`, and merges it with a new one into the same places', () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    writeTree(repo, { 'app.env': `GITHUB_TOKEN=${githubToken()}\n` });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'add config');
    const run = runCli(['git', repo, '--no-config', '--no-fail', '-f', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const fresh = path.join(repo, '..', `${path.basename(repo)}-new.json`);
    const old = path.join(repo, '..', `${path.basename(repo)}-old.json`);
    writeFileSync(fresh, run.stdout);
    const report = JSON.parse(run.stdout) as { findings: { locations: { origin: Record<string, unknown> }[] }[] };
    expect(report.findings[0]!.locations[0]!.origin.kind).toBe('git-blob');
    for (const f of report.findings) for (const l of f.locations) delete l.origin.kind;
    writeFileSync(old, JSON.stringify(report));
    expect(readFileSync(old, 'utf8')).not.toContain('"kind"');

    const [a, b] = [readJsonReport(fresh), readJsonReport(old)];
    expect(b.result.findings[0]!.locations[0]!.origin).toEqual(a.result.findings[0]!.locations[0]!.origin);
    const merged = mergeReports([a, b]).result;
    expect(merged.findings).toHaveLength(1);
    expect(merged.findings[0]!.locations).toHaveLength(1);
    expect(merged.findings[0]!.locations[0]!.origin?.kind).toBe('git-blob');
  });
});
