import { defaultConfig } from '../../src/config/config.js';
import { Detector } from '../../src/detect/detector.js';
import { groupFindings } from '../../src/findings/group.js';
import type { ReportOptions } from '../../src/report/options.js';
import { prepareScan } from '../../src/scan/engine.js';
import type { ScanResult } from '../../src/types.js';

const setup = prepareScan(defaultConfig('/repo'));
const detector = new Detector(setup.detector);

/** The scan result for `files` (path → text) that reports render: real matches, grouped by secret. */
export function resultFor(files: Record<string, string>): ScanResult {
  const matches = Object.entries(files).flatMap(([path, text]) => detector.scan(Buffer.from(text)).map((m) => ({ ...m, path })));
  return {
    target: '/repo',
    findings: groupFindings(matches, setup.rules),
    skipped: [],
    suppressed: {},
    stats: { files: Object.keys(files).length, bytes: 0, durationMs: 1 },
  };
}

export function reportOptions(overrides: Partial<ReportOptions> = {}): ReportOptions {
  return { showSecrets: false, color: false, verbose: false, rules: setup.rules, toolVersion: '0.0.0-test', ...overrides };
}
