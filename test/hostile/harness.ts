// The hostile battery's harness: runs the CLI in a sandbox and checks what every case must hold.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { CLI } from '../support/cli.js';

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** What one run gave: exit status, output, wall time, peak memory, and whether it had to be killed. */
export interface HostileRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssKb: number | null;
  hung: boolean;
}

export interface RunOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** A run still going after this is a hang (killed, and the case fails). */
  timeoutMs?: number;
}

/**
 * A scratch folder per case: `work/` (the tree or repository scanned, the cwd), `home/` (HOME, so
 * nothing of the user's is read or written) and `outside/victim.txt`, a file no run may change.
 */
export class Sandbox {
  readonly root: string;
  readonly work: string;
  readonly home: string;
  readonly victim: string;
  private before = new Map<string, string>();

  constructor(name: string) {
    this.root = mkdtempSync(path.join(os.tmpdir(), `secretscan-hostile-${name.replace(/\W+/g, '-').slice(0, 30)}-`));
    this.work = path.join(this.root, 'work');
    this.home = path.join(this.root, 'home');
    mkdirSync(this.work);
    mkdirSync(this.home);
    mkdirSync(path.join(this.root, 'outside'));
    this.victim = path.join(this.root, 'outside', 'victim.txt');
    writeFileSync(this.victim, 'the victim file: no run may change it\n');
  }

  /** Records the whole sandbox, to compare after the run. */
  snapshot(): void {
    this.before = listState(this.root);
  }

  /** Paths (relative to the sandbox) that changed, appeared or vanished since `snapshot`, minus `allowed`. */
  changedOutside(allowed: string[] = []): string[] {
    const after = listState(this.root);
    const changed = new Set<string>();
    for (const [p, v] of after) if (this.before.get(p) !== v) changed.add(p);
    for (const p of this.before.keys()) if (!after.has(p)) changed.add(p);
    return [...changed].filter((p) => !allowed.includes(p)).sort();
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Every entry under `root` with its type and, for files, a hash of the content. */
function listState(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: Buffer) => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const abs = Buffer.concat([dir, Buffer.from('/'), name]);
      const rel = path.relative(root, abs.toString('latin1'));
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out.set(rel, `link:${readlinkSync(abs, { encoding: 'buffer' }).toString('latin1')}`);
      else if (st.isDirectory()) {
        out.set(rel, 'dir');
        if (!rel.endsWith('.git') && !rel.includes('.git/objects')) walk(abs);
      } else if (st.isFile()) {
        // Large files (a sparse 2 GiB test file) by size and time; the rest by content.
        out.set(rel, st.size > 16 * 1024 * 1024 ? `file:${st.size}:${st.mtimeMs}` : `file:${createHash('sha1').update(readFileSync(abs)).digest('hex')}`);
      }
      else out.set(rel, `other:${st.mode}`);
    }
  };
  walk(Buffer.from(root, 'latin1'));
  return out;
}

function baseEnv(box: { home: string }, env: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: box.home, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...env };
}

/** Runs the built CLI as a user would, under /usr/bin/time for its peak memory. */
export function runHostile(box: Sandbox, args: string[], options: Partial<RunOptions> = {}): HostileRun {
  const rssFile = path.join(box.root, '..', `${path.basename(box.root)}.rss`);
  const cmd = TIME ? [TIME, '-f', '%M', '-o', rssFile, process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const started = performance.now();
  const r = spawnSync(cmd[0]!, cmd.slice(1), {
    cwd: options.cwd ?? box.work,
    input: options.input ?? '',
    env: baseEnv(box, options.env),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
  });
  const ms = performance.now() - started;
  const hung = r.signal === 'SIGKILL' || (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms, rssKb: readRss(rssFile), hung };
}

/** The same, without blocking this process (for servers the CLI talks to that live in this process). */
export async function runHostileAsync(box: Sandbox, args: string[], options: Partial<RunOptions> = {}): Promise<HostileRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? box.work, env: baseEnv(box, options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 30_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { status, stdout, stderr, ms: performance.now() - started, rssKb: null, hung };
}

function readRss(file: string): number | null {
  try {
    const kb = Number(readFileSync(file, 'utf8').trim().split('\n').pop());
    rmSync(file, { force: true });
    return Number.isFinite(kb) ? kb : null;
  } catch {
    return null;
  }
}

/** The battery's figures, summed over every case of a file and printed at its end. */
export const tally = { cases: 0, hangs: 0, stackTraces: 0, rawSecrets: 0, rawControl: 0, writtenOutside: 0, maxRssKb: 0 };
afterAll(() => {
  console.log(`hostile battery: ${JSON.stringify(tally)}`);
});

export interface Expectations {
  status: number;
  /** The one error line (exit 2) must match this. */
  error?: RegExp;
  /** Raw secrets planted in the case: none may appear in any output. */
  secrets?: string[];
  /** Sandbox paths the run may write (its --output). */
  writes?: string[];
  maxMs?: number;
  maxRssKb?: number;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u009b]/;

/**
 * What every case must hold, whatever it tries: it ends in time, exits as expected, prints no stack
 * trace and no raw secret or terminal control character, stays within its memory, and changes
 * nothing in the sandbox but its own output.
 */
export function expectContained(box: Sandbox, run: HostileRun, e: Expectations): void {
  tally.cases++;
  const all = `${run.stdout}\n${run.stderr}`;
  if (run.hung) tally.hangs++;
  if (/^\s+at .+[(:]\d+/m.test(run.stderr) || /internal error/.test(run.stderr)) tally.stackTraces++;
  const leaked = (e.secrets ?? []).filter((s) => all.includes(s) || (e.writes ?? []).some((w) => fileHolds(path.join(box.root, w), s)));
  if (leaked.length) tally.rawSecrets++;
  if (CONTROL.test(all)) tally.rawControl++;
  const changed = box.changedOutside(e.writes);
  if (changed.length) tally.writtenOutside++;
  if (run.rssKb) tally.maxRssKb = Math.max(tally.maxRssKb, run.rssKb);

  expect(run.hung, `killed after ${Math.round(run.ms)} ms: a hang`).toBe(false);
  expect(run.status, run.stderr).toBe(e.status);
  expect(run.ms).toBeLessThan(e.maxMs ?? 20_000);
  expect(run.stderr).not.toMatch(/^\s+at .+[(:]\d+/m);
  expect(run.stderr).not.toContain('internal error');
  expect(leaked, 'raw secret in the output').toEqual([]);
  expect(CONTROL.test(all), `raw control character in the output: ${JSON.stringify(all.slice(0, 400))}`).toBe(false);
  expect(changed, 'files changed outside the output path').toEqual([]);
  if (run.rssKb !== null) expect(run.rssKb).toBeLessThan(e.maxRssKb ?? 400 * 1024);
  if (e.error) {
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('  hint: '));
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^secretscan: error: /);
    expect(lines[0]).toMatch(e.error);
  }
}

function fileHolds(file: string, s: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(s);
  } catch {
    return false;
  }
}

/** Makes a FIFO (named pipe) at `file`. */
export function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file]);
  if (r.status !== 0) throw new Error(`mkfifo ${file} failed: ${r.stderr}`);
}

/** Makes a Unix socket file at `file` (bound by a short-lived child process, then left behind). */
export function mksocket(file: string): void {
  const r = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(file)}, () => process.exit(0))`]);
  if (r.status !== 0 || !lstatSync(file).isSocket()) throw new Error(`cannot make a socket at ${file}`);
}
