/** The HTML report: one self-contained page an auditor hands over (no network, no external files). */
import type { Finding, Location, ScanResult } from '../types.js';
import { SEVERITIES, originKind } from '../types.js';
import { describeGitOrigin } from './git-origin.js';
import { URGENCY_LABEL } from './guidance.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { describeImageOrigin } from './image-origin.js';
import { countSkipped } from './json.js';
import { guidanceRule, type ReportOptions } from './options.js';
import { printable } from './printable.js';
import { plural, scannedItems } from './words.js';

/** Text for HTML: control characters shown escaped (printable), markup characters as entities. */
export function escapeHtml(s: string): string {
  return printable(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A link only for http(s) addresses; anything else (javascript:, data:) is shown as text. */
function link(url: string): string {
  return /^https?:\/\/[^\s"<>]+$/i.test(url) ? `<a href="${escapeHtml(url)}" rel="noreferrer noopener">${escapeHtml(url)}</a>` : escapeHtml(url);
}

/** Which kind of place a location is: a file, a commit (history or message), an image layer or config. */
export function sourceKind(loc: Location): 'file' | 'commit' | 'image layer' | 'image config' {
  const kind = originKind(loc.origin);
  return kind === 'image-layer' ? 'image layer' : kind === 'image-config' ? 'image config' : kind === 'git-blob' || kind === 'git-message' ? 'commit' : 'file';
}

function countBy<T>(items: T[], key: (t: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const it of items) counts.set(key(it), (counts.get(key(it)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function summaryTable(title: string, rows: [string, number][]): string {
  const body = rows.map(([k, n]) => `<tr><td>${escapeHtml(k)}</td><td class="num">${n}</td></tr>`).join('');
  return `<table class="summary"><caption>${escapeHtml(title)}</caption><tbody>${body || '<tr><td colspan="2">none</td></tr>'}</tbody></table>`;
}

function verificationText(f: Finding): string {
  if (!f.verification) return 'not checked';
  const v = f.verification;
  const what = v.status === 'live' ? 'LIVE' : v.status === 'revoked' ? 'dead' : 'unknown';
  return [what, v.identity, v.detail].filter(Boolean).join(' · ');
}

function locationItem(loc: Location): string {
  const where = `${loc.path}:${loc.line}:${loc.column}${loc.encoding ? ` (${loc.encoding}-encoded)` : ''}`;
  const origin = describeGitOrigin(loc.origin) ?? describeImageOrigin(loc.origin);
  return `<li><code>${escapeHtml(where)}</code>${origin ? `<div class="origin">${escapeHtml(origin)}</div>` : ''}</li>`;
}

function guidance(f: Finding, options: ReportOptions): string {
  const rule = guidanceRule(f, options);
  if (!rule) return '<p>No revocation guidance is known for this rule.</p>';
  const r = rule.revocation;
  const out = [`<p><strong>${escapeHtml(URGENCY_LABEL[r.urgency])}</strong>: ${escapeHtml(r.summary)}</p>`];
  if (r.url) out.push(`<p>Where: ${link(r.url)}</p>`);
  if (r.steps.length) out.push(`<ol>${r.steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`);
  if (r.api) out.push(`<p>API: <code>${escapeHtml(r.api)}</code></p>`);
  if (r.after.length) out.push(`<p>Then check:</p><ul>${r.after.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`);
  if (rule.references.length) out.push(`<p>References:</p><ul>${rule.references.map((u) => `<li>${link(u)}</li>`).join('')}</ul>`);
  return out.join('');
}

function findingRow(f: Finding, index: number, options: ReportOptions): string {
  const value = options.showSecrets ? f.secret : f.redacted;
  const kinds = [...new Set(f.locations.map(sourceKind))].join(', ');
  const first = f.locations[0];
  const status = f.verification?.status ?? 'unchecked';
  const attrs = [
    `data-severity="${SEVERITIES.indexOf(f.severity)}"`,
    `data-provider="${escapeHtml(f.providerName)}"`,
    `data-source="${escapeHtml(kinds)}"`,
    `data-verification="${status}"`,
  ].join(' ');
  return (
    `<tbody class="finding sev-${f.severity}" ${attrs}>` +
    `<tr class="head"><td class="num">${index + 1}</td><td>${f.severity}</td><td>${escapeHtml(f.providerName)}<div class="rule">${escapeHtml(f.ruleName)} [${escapeHtml(f.ruleId)}]</div></td>` +
    `<td><code>${escapeHtml(value)}</code></td><td>${escapeHtml(first ? first.path : '')}${f.locations.length > 1 ? ` <span class="more">+${f.locations.length - 1}</span>` : ''}</td>` +
    `<td>${escapeHtml(kinds)}</td><td>${f.confidence}</td><td class="v-${status}">${escapeHtml(verificationText(f))}</td></tr>` +
    `<tr class="detail"><td></td><td colspan="7"><details><summary>${plural(f.locations.length, 'location')} · how to revoke</summary>` +
    `<ul class="locations">${f.locations.map(locationItem).join('')}</ul>${guidance(f, options)}</details></td></tr></tbody>`
  );
}

/** The whole page. Every value from the scan is escaped; the script only sorts and filters rows. */
export function renderHtml(result: ScanResult, options: ReportOptions): string {
  const findings = result.findings;
  const locations = findings.flatMap((f) => f.locations);
  const severityRows = [...SEVERITIES].reverse().map((s): [string, number] => [s, findings.filter((f) => f.severity === s).length]);
  const skipped = countSkipped(result);
  const suppressed = Object.entries(result.suppressed).filter(([, n]) => n > 0);
  const title = `secretscan report: ${result.target}`;
  const head = findings.length === 0
    ? '<p class="clean">No leaked secrets found.</p>'
    : `<p class="lead">${plural(findings.length, 'leaked secret')} in ${plural(locations.length, 'place')}. Revoke or rotate each key first: deleting the line or rewriting history does not un-leak a key someone may already have copied.</p>`;
  const providers = [...new Set(findings.map((f) => f.providerName))].sort();
  const filters =
    findings.length === 0
      ? ''
      : `<div class="filters" role="search"><label>Search <input id="q" type="search" placeholder="path, rule, provider"></label>` +
        `<label>Severity at least <select id="sev">${SEVERITIES.map((s, i) => `<option value="${i}">${s}</option>`).join('')}</select></label>` +
        `<label>Provider <select id="prov"><option value="">all</option>${providers.map((p) => `<option>${escapeHtml(p)}</option>`).join('')}</select></label>` +
        `<label>Source <select id="src"><option value="">all</option>${['file', 'commit', 'image layer', 'image config'].map((k) => `<option>${k}</option>`).join('')}</select></label>` +
        `<span id="shown"></span></div>`;
  const table =
    findings.length === 0
      ? ''
      : `<table id="findings"><thead><tr>${['#', 'Severity', 'Provider / rule', 'Secret', 'Where', 'Source', 'Confidence', 'Verification']
          .map((h, i) => `<th data-col="${i}" tabindex="0">${h}</th>`)
          .join('')}</tr></thead>${findings.map((f, i) => findingRow(f, i, options)).join('')}</table>`;
  const skippedList = result.skipped.length
    ? `<h2>Not scanned (${result.skipped.length})</h2><ul>${result.skipped.map((s) => `<li><code>${escapeHtml(s.path)}</code>: ${escapeHtml(s.reason)}${s.detail ? ` (${escapeHtml(s.detail)})` : ''}</li>`).join('')}</ul>`
    : '';
  const warnings = result.warnings?.length
    ? `<h2>Warnings</h2><ul>${result.warnings.map((w) => `<li>${escapeHtml(`${w.source}: ${w.message}`)}</li>`).join('')}</ul>`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing may load from anywhere: the page is everything the reader gets.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${HTML_STYLE}</style></head><body>`,
    `<header><h1>${escapeHtml(title)}</h1><p class="meta">secretscan ${escapeHtml(options.toolVersion)} · ${scannedItems(result)} scanned, ${result.stats.bytes} bytes, ${(result.stats.durationMs / 1000).toFixed(1)} s${result.shard ? ` · shard ${result.shard.index}/${result.shard.total}` : ''}${result.merged ? ` · merged from ${plural(result.merged.reports, 'report')}` : ''}</p>`,
    options.showSecrets ? '<p class="warn">This report shows raw secrets: handle it as a secret itself.</p>' : '<p class="meta">Secrets are redacted (first characters and length).</p>',
    '</header><main>',
    head,
    `<section class="summaries">${summaryTable('By severity', severityRows)}${summaryTable('By provider', countBy(findings, (f) => f.providerName))}${summaryTable('By source', countBy(locations, sourceKind))}</section>`,
    filters,
    table,
    skippedList,
    suppressed.length ? `<h2>Suppressed</h2><ul>${suppressed.map(([k, n]) => `<li>${escapeHtml(k)}: ${n}</li>`).join('')}</ul>` : '',
    Object.keys(skipped).length ? `<p class="meta">Skipped by reason: ${Object.entries(skipped).map(([k, n]) => `${escapeHtml(k)} ${n}`).join(', ')}</p>` : '',
    warnings,
    `</main><script>${HTML_SCRIPT}</script></body></html>`,
    '',
  ].join('\n');
}
