// Scores a secretscan JSON report against corpus labels.
// A label is found when a reported location in the same file, within ±1 line, carries the
// label's provider. Each reported location is credited to at most one label (the one whose
// secret it reports, else the nearest line), so one finding cannot stand in for a neighbour's miss.
// A location credited to no label is a false positive.

const LINE_TOLERANCE = 1;

/** Flatten findings into one record per reported location. */
export function reportedLocations(report) {
  const out = [];
  for (const finding of report.findings ?? []) {
    for (const location of finding.locations ?? []) {
      out.push({
        path: normalizePath(location.path),
        line: location.line,
        column: location.column,
        ruleId: finding.ruleId,
        provider: finding.provider,
        secret: finding.secret ?? '',
        // Reports written before findings had a confidence: medium, as `secretscan merge` reads them.
        confidence: finding.confidence ?? 'medium',
      });
    }
  }
  return out;
}

function normalizePath(path) {
  return String(path).replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Does the reported secret correspond to this label's planted text (raw, encoded or whole URI)? */
function sameSecret(label, reported) {
  if (!reported) return false;
  const texts = [label.secret, label.value].filter(Boolean);
  return texts.some((text) => text === reported || text.includes(reported) || reported.includes(text));
}

/** The label nearest to a location: the one whose secret it reports, else the closest line; null if none within tolerance. */
function nearestLabel(location, labels) {
  const near = labels.filter((l) => Math.abs(l.line - location.line) <= LINE_TOLERANCE);
  if (near.length === 0) return null;
  const rank = (l) => (sameSecret(l, location.secret) ? 0 : 2) + (l.line === location.line ? 0 : 1);
  return near.reduce((best, l) => (rank(l) < rank(best) ? l : best));
}

/**
 * @param labels  [{file, line, provider, kind, secret, optional?}]
 * @param locations  output of reportedLocations
 * @returns {{ byProvider, overall, misses, falsePositives }}
 */
export function score(labels, locations) {
  const labelsByFile = new Map();
  for (const label of labels) {
    if (!labelsByFile.has(label.file)) labelsByFile.set(label.file, []);
    labelsByFile.get(label.file).push(label);
  }

  const found = new Set();
  const falsePositives = [];
  const byProvider = new Map();
  const row = (provider) => {
    if (!byProvider.has(provider)) byProvider.set(provider, { provider, labels: 0, found: 0, missed: 0, reported: 0, falsePositives: 0 });
    return byProvider.get(provider);
  };

  for (const location of locations) {
    const inFile = labelsByFile.get(location.path) ?? [];
    const label = nearestLabel(location, inFile.filter((l) => l.provider === location.provider));
    row(location.provider).reported++;
    if (label) {
      found.add(label);
      continue;
    }
    row(location.provider).falsePositives++;
    const other = nearestLabel(location, inFile);
    falsePositives.push({
      ...location,
      nearLabel: other ? `${other.provider}/${other.kind}` : null,
      // the label's own secret, reported under another provider's rule
      wrongProvider: Boolean(other && sameSecret(other, location.secret)),
    });
  }

  const misses = [];
  for (const label of labels) {
    if (label.optional) continue;
    const r = row(label.provider);
    r.labels++;
    if (found.has(label)) r.found++;
    else {
      r.missed++;
      misses.push(label);
    }
  }

  const rows = [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider));
  for (const r of rows) {
    r.recall = r.labels ? r.found / r.labels : null;
    r.precision = r.reported ? (r.reported - r.falsePositives) / r.reported : null;
  }
  const total = (key) => rows.reduce((sum, r) => sum + r[key], 0);
  const overall = {
    labels: total('labels'),
    found: total('found'),
    missed: total('missed'),
    reported: total('reported'),
    falsePositives: total('falsePositives'),
  };
  overall.recall = overall.labels ? overall.found / overall.labels : 1;
  overall.precision = overall.reported ? (overall.reported - overall.falsePositives) / overall.reported : 1;
  return { byProvider: rows, overall, misses, falsePositives };
}

export const CONFIDENCES = ['high', 'medium', 'low'];
const RANK = { low: 0, medium: 1, high: 2 };

/**
 * Figures per confidence level, from a scan run with `--confidence low`. For each level L:
 * `reported`, `falsePositives` and `precision` of the locations at exactly L (how good the
 * label is), and `recall` and `precisionAtLeast` of what `--confidence L` would report
 * (L and above, scored alone).
 */
export function scoreByConfidence(labels, locations) {
  const all = score(labels, locations);
  return CONFIDENCES.map((confidence) => {
    const at = locations.filter((l) => l.confidence === confidence).length;
    const falsePositives = all.falsePositives.filter((f) => f.confidence === confidence).length;
    const atLeast = score(labels, locations.filter((l) => RANK[l.confidence] >= RANK[confidence])).overall;
    return {
      confidence,
      reported: at,
      falsePositives,
      precision: at ? (at - falsePositives) / at : null,
      found: atLeast.found,
      recall: atLeast.recall,
      precisionAtLeast: atLeast.precision,
    };
  });
}
