import { originCommit, originLayer, type Finding, type Location, type ScanResult } from '../types.js';
import { plural } from './words.js';
import { guidanceRule, type ReportOptions } from './options.js';
import { xmlAttr, xmlText } from './xml.js';

interface Case {
  path: string;
  finding: Finding;
  locations: Location[];
}

/** Seconds with millisecond precision, as JUnit readers expect. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');
}

function failureText(cases: Case[], options: ReportOptions): string {
  const lines: string[] = [];
  for (const c of cases) {
    const f = c.finding;
    const value = options.showSecrets ? f.secret : f.redacted;
    const where = c.locations.map((l) => `${l.line}:${l.column}`).join(', ');
    lines.push(`${f.ruleName} [${f.ruleId}] ${f.severity}, ${f.confidence} confidence: ${value} at line ${where}`);
    const commits = [...new Set(c.locations.map((l) => originCommit(l.origin)).filter((x) => x !== undefined))];
    if (commits.length) lines.push(`  commit ${commits.map((x) => x.slice(0, 12)).join(', ')}`);
    const layers = [...new Set(c.locations.map((l) => originLayer(l.origin)).filter((x) => x !== undefined))];
    if (layers.length) lines.push(`  image layer ${layers.join(', ')}`);
    if (f.locations.length > c.locations.length) lines.push(`  the same secret is in ${plural(f.locations.length - c.locations.length, 'other place')}`);
  }
  const rule = guidanceRule(cases[0]!.finding, options);
  if (rule) {
    lines.push(`How to revoke: ${rule.revocation.summary}`);
    if (rule.revocation.url) lines.push(`Where: ${rule.revocation.url}`);
  }
  return lines.join('\n');
}

/**
 * JUnit XML for CI test-report panels: one test suite per rule that found something, one test case
 * per rule × file, failing with where the secret is and how to revoke it. The report only knows the
 * files that hold findings, so a clean scan is one passing case ("no leaked secrets") and panels
 * show green. Per-file time is not measured: cases carry 0 and the run's duration sits on the root.
 */
export function renderJunit(result: ScanResult, options: ReportOptions): string {
  const byRule = new Map<string, Map<string, Case[]>>();
  for (const finding of result.findings) {
    const files = byRule.get(finding.ruleId) ?? new Map<string, Case[]>();
    byRule.set(finding.ruleId, files);
    const byPath = new Map<string, Location[]>();
    for (const loc of finding.locations) byPath.set(loc.path, [...(byPath.get(loc.path) ?? []), loc]);
    for (const [p, locations] of byPath) files.set(p, [...(files.get(p) ?? []), { path: p, finding, locations }]);
  }

  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const ruleId of [...byRule.keys()].sort()) {
    const files = byRule.get(ruleId)!;
    const first = [...files.values()][0]![0]!.finding;
    const cases: string[] = [];
    for (const p of [...files.keys()].sort()) {
      const list = files.get(p)!;
      const count = list.reduce((n, c) => n + c.locations.length, 0);
      const message = `${first.ruleName}: ${count} leak${count === 1 ? '' : 's'} in ${p}`;
      cases.push(
        `    <testcase${attrs({ classname: ruleId, name: p, file: p, time: seconds(0) })}>\n` +
          `      <failure${attrs({ message, type: first.severity })}>${xmlText(failureText(list, options))}</failure>\n` +
          `    </testcase>`,
      );
    }
    tests += cases.length;
    failures += cases.length;
    suites.push(
      `  <testsuite${attrs({ name: `${first.ruleName} [${ruleId}]`, tests: cases.length, failures: cases.length, errors: 0, skipped: 0, time: seconds(0) })}>\n` +
        `${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (suites.length === 0) {
    tests = 1;
    suites.push(
      `  <testsuite${attrs({ name: 'secretscan', tests: 1, failures: 0, errors: 0, skipped: 0, time: seconds(result.stats.durationMs) })}>\n` +
        `    <testcase${attrs({ classname: 'secretscan', name: 'no leaked secrets', time: seconds(result.stats.durationMs) })}/>\n  </testsuite>`,
    );
  }
  const root = attrs({ name: `secretscan ${result.target}`, tests, failures, errors: 0, skipped: 0, time: seconds(result.stats.durationMs) });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${suites.join('\n')}\n</testsuites>\n`;
}
