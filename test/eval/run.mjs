#!/usr/bin/env node
// Accuracy evaluation: renders the labelled corpus (fixtures/corpus) into a temp dir, scans it
// with the built CLI, and scores the JSON report against the labels (see score.mjs).
// Usage: node test/eval/run.mjs [--seed <seed>] [--rounds <n>] [--no-threshold] [--keep] [--json <file>]
//   --rounds n  renders and scans n corpora (seeds <seed>#1..n) and scores them together:
//               more key shapes per provider, steadier figures.
// Exit 1 when overall recall < 0.98 or precision < 0.97 (unless --no-threshold); 2 when a scan fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, generateCorpus } from '../../fixtures/corpus/generate.mjs';
import { reportedLocations, score, scoreByConfidence } from './score.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(REPO, 'bin', 'secretscan.js');
const MIN_RECALL = 0.98;
const MIN_PRECISION = 0.97;
const USAGE = 'usage: node test/eval/run.mjs [--seed <seed>] [--rounds <n>] [--no-threshold] [--keep] [--json <file>]';

function parseArgs(argv) {
  const options = { seed: DEFAULT_SEED, rounds: 1, threshold: true, keep: false, json: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seed') options.seed = argv[++i];
    else if (arg === '--rounds') options.rounds = Number(argv[++i]);
    else if (arg === '--no-threshold') options.threshold = false;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--json') options.json = argv[++i];
    else fail(`unknown argument ${arg}\n${USAGE}`);
  }
  if (!Number.isInteger(options.rounds) || options.rounds < 1) fail(`--rounds takes a positive integer\n${USAGE}`);
  if (options.seed === undefined || options.json === undefined) fail(USAGE);
  return options;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

const redact = (secret) => `${String(secret).slice(0, 4)}…(${String(secret).length})`;
const pct = (x) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

function scan(root) {
  // Every confidence is reported, so that the overall figures count all findings (as before
  // findings had one) and each level can be scored apart (scoreByConfidence).
  const args = [CLI, 'dir', root, '--format', 'json', '--show-secrets', '--no-config', '--no-ignore', '--no-fail', '--confidence', 'low'];
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.error || run.status !== 0) fail(`scan failed (exit ${run.status}): node ${args.join(' ')}\n${run.error ?? ''}${run.stderr}`);
  try {
    return { report: JSON.parse(run.stdout), seconds };
  } catch (error) {
    fail(`scan output is not JSON (${error.message}); first 500 chars:\n${run.stdout.slice(0, 500)}\n${run.stderr}`);
  }
}

function printTable(result) {
  const header = ['provider', 'labels', 'found', 'missed', 'reported', 'false+', 'recall', 'precision'];
  const row = (name, r) => [name, r.labels, r.found, r.missed, r.reported, r.falsePositives, pct(r.recall), pct(r.precision)];
  const lines = [...result.byProvider.map((r) => row(r.provider, r)), row('OVERALL', result.overall)];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const format = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  console.log([format(header), rule, ...lines.slice(0, -1).map(format), rule, format(lines.at(-1))].join('\n'));
}

/** Per confidence level: how good each level is, and what `--confidence <level>` would give. */
function printConfidenceTable(rows) {
  const header = ['confidence', 'reported', 'false+', 'precision', '| --confidence', 'found', 'recall', 'precision'];
  const lines = rows.map((r) => [r.confidence, r.reported, r.falsePositives, pct(r.precision), `| ${r.confidence}`, r.found, pct(r.recall), pct(r.precisionAtLeast)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const format = (cells) => cells.map((c, i) => (i === 0 || i === 4 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log([format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n'));
}

/** Render and scan one corpus; paths get a round prefix when there are several rounds. */
function runRound(outDir, seed, prefix) {
  const corpus = generateCorpus({ outDir, seed });
  const { report, seconds } = scan(corpus.root);
  const labels = corpus.labels.map((l) => ({ ...l, file: prefix + l.file }));
  const locations = reportedLocations(report).map((l) => ({ ...l, path: prefix + l.path }));
  const skipped = (report.skipped ?? []).map((s) => (typeof s === 'string' ? prefix + s : { ...s, round: prefix || undefined }));
  return { corpus, labels, locations, skipped, seconds };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const tempDir = mkdtempSync(join(tmpdir(), 'secretscan-eval-'));
  try {
    const rounds = [];
    for (let i = 1; i <= options.rounds; i++) {
      const single = options.rounds === 1;
      const seed = single ? options.seed : `${options.seed}#${i}`;
      rounds.push(runRound(single ? tempDir : join(tempDir, `round-${i}`), seed, single ? '' : `round-${i}/`));
    }
    const result = score(rounds.flatMap((r) => r.labels), rounds.flatMap((r) => r.locations));
    const bytes = rounds.reduce((sum, r) => sum + r.corpus.bytes, 0);
    const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
    const skipped = rounds.flatMap((r) => r.skipped);

    console.log(`corpus: ${rounds[0].corpus.files} files × ${rounds.length} round(s), ${(bytes / 1024).toFixed(0)} KiB, seed "${options.seed}"`);
    console.log(`scan:   ${seconds.toFixed(2)} s wall in total, start-up included\n`);
    printTable(result);
    const byConfidence = scoreByConfidence(rounds.flatMap((r) => r.labels), rounds.flatMap((r) => r.locations));
    console.log('');
    printConfidenceTable(byConfidence);

    if (skipped.length) {
      console.log(`\nskipped by the scanner (${skipped.length}):`);
      for (const s of skipped) console.log(`  ${typeof s === 'string' ? s : JSON.stringify(s)}`);
    }
    if (result.misses.length) {
      console.log(`\nmissed (${result.misses.length}):`);
      for (const m of result.misses) {
        console.log(`  ${m.file}:${m.line}  ${m.provider}/${m.kind}  ${redact(m.secret)}${m.encoding ? `  [${m.encoding}]` : ''}`);
      }
    }
    if (result.falsePositives.length) {
      console.log(`\nfalse positives (${result.falsePositives.length}):`);
      for (const f of result.falsePositives) {
        const note = f.wrongProvider ? `  [the secret of label ${f.nearLabel}, wrong provider]` : f.nearLabel ? `  [next to label ${f.nearLabel}]` : '';
        console.log(`  ${f.path}:${f.line}  ${f.ruleId}  ${redact(f.secret)}${note}`);
      }
    }

    const o = result.overall;
    console.log(`\nrecall ${pct(o.recall)} (target ${pct(MIN_RECALL)}), precision ${pct(o.precision)} (target ${pct(MIN_PRECISION)})`);
    if (options.json) writeFileSync(options.json, JSON.stringify({ seed: options.seed, rounds: options.rounds, seconds, ...result, byConfidence }, null, 2) + '\n');
    if (options.keep) console.log(`corpus kept in ${tempDir}`);
    if (options.threshold && !(o.recall >= MIN_RECALL && o.precision >= MIN_PRECISION)) process.exitCode = 1;
  } finally {
    if (!options.keep) rmSync(tempDir, { recursive: true, force: true });
  }
}

main();
