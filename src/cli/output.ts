// Rendering a finished scan in the format asked for, writing it out, and the exit code that follows.
import type { Config } from '../config/config.js';
import { writeFileAtomic } from '../io/report-file.js';
import { raiseVerified, withConfidence } from '../findings/confidence.js';
import type { Format, ReportOptions } from '../report/options.js';
import { verificationCounts, type VerificationCounts } from '../report/verification-summary.js';
import { plural } from '../report/words.js';
import { severityRank, type RuleSpec, type ScanResult, type Severity } from '../types.js';
import { VERSION } from '../version.js';
import type { CommonArgs } from './options.js';
import { skippedLines } from './skipped-list.js';
import { withMigrationWarnings } from './warnings.js';

/** The report in `format`; each renderer is loaded only when its format is asked for. */
export async function render(result: ScanResult, format: Format, options: ReportOptions): Promise<string> {
  if (format === 'json') return (await import('../report/json.js')).renderJson(result, options);
  if (format === 'sarif') return (await import('../report/sarif.js')).renderSarif(result, options);
  if (format === 'junit') return (await import('../report/junit.js')).renderJunit(result, options);
  if (format === 'csv') return (await import('../report/csv.js')).renderCsv(result, options);
  if (format === 'github') return (await import('../report/github.js')).renderGithub(result, options);
  if (format === 'html') return (await import('../report/html.js')).renderHtml(result, options);
  return (await import('../report/text.js')).renderText(result, options);
}

/** Writes the report to a file (atomically, never through a symlink) or stdout. */
export function emit(text: string, output: string | undefined): void {
  if (output === undefined) process.stdout.write(text);
  else writeFileAtomic(output, text);
}

/** Exit code for a finished scan: `exitCode` when a finding reaches `failOn`, else 0. */
export function exitCodeFor(result: ScanResult, failOn: Severity, exitCode: number): number {
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? exitCode : 0;
}

/**
 * Verifies (when asked), renders, writes and picks the exit code. `compact`: a git hook's scan,
 * whose text report is one line per finding unless --verbose asks for the whole guidance.
 */
export async function finish(
  result: ScanResult,
  args: CommonArgs,
  config: Config,
  rules: ReadonlyMap<string, RuleSpec>,
  compact = false,
): Promise<number> {
  result = withMigrationWarnings(result, config);
  let verified: VerificationCounts | undefined;
  if (args.verify || args['only-verified'] || args['fail-on-verified']) ({ result, counts: verified } = await verifyResult(result, args, config, rules));
  // After --verify, which raises a live key to high: a key its provider confirms is never hidden.
  result = withConfidence(result, config.confidence);
  const toTerminal = !args.output && process.stdout.isTTY === true;
  const color = args.color ?? (toTerminal && !process.env.NO_COLOR);
  const text =
    compact && args.format === 'text' && !args.verbose
      ? (await import('../report/compact.js')).renderCompact(result, { showSecrets: args['show-secrets'] })
      : await render(result, args.format, {
          showSecrets: args['show-secrets'],
          color: args.format === 'text' && color,
          verbose: args.verbose,
          rules,
          toolVersion: VERSION,
        });
  emit(text, args.output);
  if (args.verbose && args.format !== 'text') process.stderr.write(skippedLines(result));
  if (args.output && !args.quiet) {
    process.stderr.write(`secretscan: ${plural(result.findings.length, 'leak')} found, report written to ${args.output}\n`);
  }
  const onlyLive = args['only-verified'] || args['fail-on-verified'];
  const unchecked = verificationNotice(verified, onlyLive === true);
  if (!args.fail) return 0;
  if (onlyLive) {
    if (result.findings.some((f) => f.verification?.status === 'live')) return args['exit-code'];
    // No live key found, but some could not be asked: that is not a clean run.
    return unchecked ? 2 : 0;
  }
  return exitCodeFor(result, config.failOn, args['exit-code']);
}

/** One stderr line when providers could not be asked about some findings; true if there were any. */
function verificationNotice(counts: VerificationCounts | undefined, onlyLive: boolean): boolean {
  if (!counts || counts.network === 0) return false;
  const why = counts.networkDetail ?? 'no answer';
  const kept = onlyLive ? '; they are kept in the report, as any of them may be live' : '';
  if (counts.live + counts.revoked === 0) {
    // An error where it decides the exit code (2), a warning where the findings do.
    const level = onlyLive ? 'error' : 'warning';
    process.stderr.write(`secretscan: ${level}: verification could not run: no provider answered for ${plural(counts.network, 'finding')} (${why})${kept}\n`);
  } else {
    process.stderr.write(`secretscan: ${plural(counts.network, 'finding')} of ${counts.total} could not be verified (${why})${kept}\n`);
  }
  return true;
}

/** `--verify`: each finding's provider asked, live findings first (or alone, with --only-verified). */
async function verifyResult(
  result: ScanResult,
  args: CommonArgs,
  config: Config,
  rules: ReadonlyMap<string, RuleSpec>,
): Promise<{ result: ScanResult; counts: VerificationCounts | undefined }> {
  // Loaded only here: a scan without --verify (a pre-commit hook) should not pay for the HTTP client.
  const { liveFirst, verifyFindings } = await import('../verify/verify.js');
  await verifyFindings(result, rules, { endpoints: config.verifyEndpoints });
  raiseVerified(result.findings);
  const findings = liveFirst(result.findings);
  // A finding whose provider could not be asked stays: it may be live.
  const kept = (f: (typeof findings)[number]) => f.verification?.status === 'live' || f.verification?.reason === 'network';
  return { result: { ...result, findings: args['only-verified'] ? findings.filter(kept) : findings }, counts: verificationCounts(findings) };
}

