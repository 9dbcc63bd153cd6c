/** One result from the history scans of several repositories (an organisation audit). */
import { locationFingerprint } from '../findings/fingerprint.js';
import type { Finding, ScanResult } from '../types.js';

export interface RepositoryScan {
  /** owner/name: each path in the combined report starts with it. */
  name: string;
  /** The repository's URL without credentials, kept on each location's origin. */
  url: string;
  result: ScanResult;
}

function moved(findings: Finding[], scan: RepositoryScan): Finding[] {
  return findings.map((f) => ({
    ...f,
    locations: f.locations.map((l) => {
      const path = `${scan.name}/${l.path}`;
      return { ...l, path, fingerprint: locationFingerprint(f.ruleId, f.secret, path), origin: { ...(l.origin ?? { kind: 'file' as const, path: l.path }), repository: scan.url } };
    }),
  }));
}

/** Joins per-repository results: the same secret in two repositories is one leak with both places. */
export function combineRepositoryScans(target: string, scans: RepositoryScan[], notCloned: { name: string; reason: string }[], durationMs: number): ScanResult {
  const byId = new Map<string, Finding>();
  const partners = new Map<string, Finding>();
  const suppressed: Record<string, number> = {};
  const out: ScanResult = { target, findings: [], skipped: [], suppressed, stats: { files: 0, bytes: 0, durationMs }, warnings: [] };
  for (const scan of scans) {
    for (const [into, list] of [[byId, scan.result.findings], [partners, scan.result.partners ?? []]] as const) {
      for (const f of moved(list, scan)) {
        const seen = into.get(f.id);
        if (seen) seen.locations.push(...f.locations);
        else into.set(f.id, f);
      }
    }
    out.skipped.push(...scan.result.skipped.map((s) => ({ ...s, path: `${scan.name}/${s.path}` })));
    for (const [k, n] of Object.entries(scan.result.suppressed)) suppressed[k] = (suppressed[k] ?? 0) + n;
    out.stats.files += scan.result.stats.files;
    out.stats.bytes += scan.result.stats.bytes;
    out.warnings!.push(...(scan.result.warnings ?? []).map((w) => ({ ...w, source: `${scan.name}: ${w.source}` })));
  }
  out.skipped.push(...notCloned.map((r) => ({ path: r.name, reason: 'not-cloned' as const, detail: r.reason })));
  out.findings = [...byId.values()];
  if (partners.size) out.partners = [...partners.values()];
  if (out.warnings!.length === 0) delete out.warnings;
  return out;
}
