/** secretscan as a library: load config and rules, scan a directory or a buffer, render reports. */
export type { Finding, GitOrigin, ImageOrigin, Location, Match, Origin, Revocation, RuleSpec, ScanResult, Severity, Skipped } from './types.js';
export { CONFIDENCES, SEVERITIES, type Confidence } from './types.js';
// Scans report every confidence; withConfidence applies a --confidence threshold as the CLI does.
export { isTestPath, withConfidence } from './findings/confidence.js';
export { UserError } from './errors.js';
export { defaultConfig, findConfig, loadConfig, readConfig, type Config } from './config/config.js';
export { loadRuleFile, loadRulesDir, readRuleFile, BUILTIN_RULES_DIR } from './rules/load.js';
export { Detector, type DetectorOptions } from './detect/detector.js';
export { shannonEntropy } from './detect/entropy.js';
export { prepareScan, type ScanSetup } from './scan/engine.js';
export { Baseline, DEFAULT_BASELINE_FILE, type BaselineEntry } from './filters/baseline.js';
export { scanDirectory } from './scan/directory.js';
export { scanChunk } from './scan/stdin.js';
export { renderJson, toJsonReport } from './report/json.js';
export { parseJsonReport, readJsonReport } from './report/read-json.js';
export type { JsonFinding, JsonLocation, JsonReport, ReportOrigin } from './report/schema.js';
export { renderSarif } from './report/sarif.js';
export { renderText } from './report/text.js';
export { redactSecret } from './findings/redact.js';
export type { Verification, VerificationStatus, VerifySpec } from './types.js';
export { liveFirst, verifyFindings, type VerifyOptions } from './verify/verify.js';
