import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';

// cli-progress is CommonJS, loaded only when a bar is drawn (never in hooks, pipes or CI).
const require = createRequire(import.meta.url);

/** Where a bar may be drawn: a terminal, not a log file or a CI job's captured stderr. */
export function progressWanted(stream: { isTTY?: boolean }, quiet: boolean, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !quiet && !ci;
}

/**
 * A progress bar on stderr for long scans: items done of total, throughput and ETA. Drawn from the
 * first update, cleared on stop so the report that follows starts on a clean line.
 */
export class ScanProgressBar {
  private readonly bar: cliProgress.SingleBar;
  private readonly started = performance.now();
  private running = false;

  constructor(private readonly unit: string, stream: NodeJS.WritableStream = process.stderr) {
    const { SingleBar } = require('cli-progress') as typeof cliProgress;
    this.bar = new SingleBar({
      stream,
      format: `secretscan {bar} {value}/{total}{more} {unit} | {mbps} MB/s | ETA {eta_formatted}`,
      barsize: 24,
      fps: 8,
      clearOnComplete: true,
      etaBuffer: 50,
    });
  }

  /** `totalFinal` false: more items may still be found (a git walk in progress), shown as `total+`. */
  update(done: number, total: number, bytes: number, totalFinal = true): void {
    const seconds = (performance.now() - this.started) / 1000;
    const payload = { unit: this.unit, more: totalFinal ? '' : '+', mbps: (seconds > 0 ? bytes / 1024 / 1024 / seconds : 0).toFixed(1) };
    if (!this.running) {
      this.bar.start(total, done, payload);
      this.running = true;
      return;
    }
    this.bar.setTotal(total);
    this.bar.update(done, payload);
  }

  stop(): void {
    if (this.running) this.bar.stop();
    this.running = false;
  }
}

/** A bar for this run, or null when stderr is not a terminal, or --quiet, or in CI. */
export function scanProgress(args: { quiet: boolean }, unit: string): ScanProgressBar | null {
  return progressWanted(process.stderr, args.quiet, process.env) ? new ScanProgressBar(unit) : null;
}
