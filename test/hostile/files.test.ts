// Hostile battery, part 4: odd names, special files, large and unusual text, scanned or listed, never missed
// without a word; windows keep memory bounded and lines and columns exact.
import { closeSync, existsSync, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonReport } from '../../src/report/read-json.js';
import type { JsonReport } from '../../src/report/schema.js';
import { awsAccessKeyId, stripeSecretKey } from '../support/fake-keys.js';
import { expectContained, mkfifo, mksocket, runHostile, Sandbox, type HostileRun } from './harness.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.remove();
});

const KEY = stripeSecretKey();

function box(name: string, plant: (work: string) => void): Sandbox {
  const b = new Sandbox(name);
  boxes.push(b);
  plant(b.work);
  b.snapshot();
  return b;
}

const report = (run: HostileRun): JsonReport => parseJsonReport(run.stdout, 'stdout');
const places = (r: JsonReport) => r.findings.flatMap((f) => f.locations.map((l) => `${l.path}:${l.line}:${l.column}`)).sort();

describe('hostile: names the file system can hold', () => {
  const names: [string, Buffer, string][] = [
    ['a line feed', Buffer.from('a\nb.env'), 'a\nb.env'],
    ['a carriage return', Buffer.from('a\rb.env'), 'a\rb.env'],
    ['bytes that are not UTF-8', Buffer.from([0x63, 0xff, 0xfe, 0x2e, 0x65, 0x6e, 0x76]), 'c\\xff\\xfe.env'],
    ['Latin-1 é', Buffer.from([0x72, 0xe9, 0x2e, 0x65, 0x6e, 0x76]), 'r\\xe9.env'],
    ['a leading dash', Buffer.from('-rf.env'), '-rf.env'],
    ['glob characters', Buffer.from('[*?]{a,b}.env'), '[*?]{a,b}.env'],
  ];
  for (const [what, name, shown] of names) {
    it(`dir: a file whose name holds ${what} is scanned and named`, () => {
      const b = box(`name-${what}`, (w) => {
        const fd = openSync(Buffer.concat([Buffer.from(`${w}/`), name]), 'w');
        writeSync(fd, `STRIPE_SECRET_KEY=${KEY}\n`);
        closeSync(fd);
      });
      const run = runHostile(b, ['dir', '.', '-f', 'json']);
      expectContained(b, run, { status: 1, secrets: [KEY] });
      expect(places(report(run))).toEqual([`${shown}:1:19`]);
    });
  }

  it('dir: folders whose names are not UTF-8 are walked, with the files beside them and below', () => {
    const b = box('name-folders', (w) => {
      const odd = Buffer.concat([Buffer.from(`${w}/d`), Buffer.from([0xff])]);
      mkdirSync(odd);
      mkdirSync(Buffer.concat([odd, Buffer.from('/sub')]));
      mkdirSync(path.join(w, 'plain'));
      for (const file of [Buffer.concat([odd, Buffer.from('/a.env')]), Buffer.concat([odd, Buffer.from('/sub/b.env')]),
        Buffer.from(`${w}/plain/c.env`), Buffer.concat([Buffer.from(`${w}/plain/e`), Buffer.from([0xe9]), Buffer.from('.env')])]) {
        writeFileSync(file, `STRIPE_SECRET_KEY=${KEY}\n`);
      }
    });
    const run = runHostile(b, ['dir', '.', '-f', 'json']);
    expectContained(b, run, { status: 1, secrets: [KEY] });
    expect(places(report(run))).toEqual(['d\\xff/a.env:1:19', 'd\\xff/sub/b.env:1:19', 'plain/c.env:1:19', 'plain/e\\xe9.env:1:19']);
  });
});

describe('hostile: entries that are not regular files', () => {
  const specials: [string, (f: string) => void, string, string][] = [
    ['a FIFO', mkfifo, 'not-a-file', 'FIFO'],
    ['a socket', mksocket, 'not-a-file', 'socket'],
    ['a symlink to /dev/zero', (f) => symlinkSync('/dev/zero', f), 'symlink-outside-root', ''],
    ['a symlink to a file outside', (f) => symlinkSync('../outside/victim.txt', f), 'symlink-outside-root', ''],
  ];
  for (const [what, make, reason, detail] of specials) {
    it(`dir: ${what} in the tree is listed as skipped, with no hang`, () => {
      const b = box(`special-${what}`, (w) => {
        writeFileSync(path.join(w, 'app.env'), `STRIPE_SECRET_KEY=${KEY}\n`);
        make(path.join(w, 'odd'));
      });
      const run = runHostile(b, ['dir', '.', '-f', 'json'], { timeoutMs: 15_000 });
      expectContained(b, run, { status: 1, secrets: [KEY], maxMs: 10_000 });
      const r = report(run);
      expect(r.skipped).toEqual([{ path: 'odd', reason, ...(detail ? { detail } : {}) }]);
      expect(places(r)).toEqual(['app.env:1:19']);
    });
  }

  it('dir: a FIFO named as the target is a one-line error', () => {
    const b = box('target-fifo', (w) => mkfifo(path.join(w, 'p')));
    expectContained(b, runHostile(b, ['dir', 'p']), { status: 2, error: /cannot scan p: a FIFO, not a file or directory/ });
  });
});

describe('hostile: large and unusual text', () => {
  const WINDOW = { SECRETSCAN_WINDOW_BYTES: '4096' };
  /** `lines` lines of filler with keys at the given line numbers (1-based), at column `col`. */
  function text(lines: number, keys: Map<number, string>, lineLength = 80): string {
    const out: string[] = [];
    for (let i = 1; i <= lines; i++) out.push(keys.has(i) ? `${'x'.repeat(lineLength - 40)} AWS=${keys.get(i)}` : 'y'.repeat(lineLength));
    return `${out.join('\n')}\n`;
  }

  it('dir: a file many windows long is scanned whole, every key at its own line and column', () => {
    const keys = new Map([[1, awsAccessKeyId()], [51, awsAccessKeyId()], [52, awsAccessKeyId()], [400, awsAccessKeyId()], [1000, awsAccessKeyId()]]);
    const b = box('windows', (w) => writeFileSync(path.join(w, 'big.log'), text(1000, keys)));
    const run = runHostile(b, ['dir', '.', '-f', 'json'], { env: WINDOW });
    expectContained(b, run, { status: 1, secrets: [...keys.values()] });
    expect(places(report(run))).toEqual([...keys.keys()].map((l) => `big.log:${l}:46`).sort());
  });

  it('dir: a single 1 MB line (256 windows) with keys straddling window edges is found once each', () => {
    const keys = [awsAccessKeyId(), awsAccessKeyId(), awsAccessKeyId()];
    const at = [4090, 4096 * 3 - 8, 1_000_000];
    let line = 'z'.repeat(1_048_576);
    at.forEach((p, i) => (line = `${line.slice(0, p)} ${keys[i]} ${line.slice(p + 22)}`));
    const b = box('one-line', (w) => writeFileSync(path.join(w, 'min.js'), line));
    const run = runHostile(b, ['dir', '.', '-f', 'json'], { env: WINDOW });
    expectContained(b, run, { status: 1, secrets: keys });
    expect(places(report(run))).toEqual(at.map((p) => `min.js:1:${p + 2}`).sort());
  });

  it('dir: an explicit --max-file-size still skips larger files, and says so', () => {
    const b = box('max-size', (w) => writeFileSync(path.join(w, 'big.log'), text(100, new Map([[50, awsAccessKeyId()]]))));
    const run = runHostile(b, ['dir', '.', '-f', 'json', '--max-file-size', '1KB'], { env: WINDOW });
    expectContained(b, run, { status: 0 });
    expect(report(run).skipped).toEqual([{ path: 'big.log', reason: 'too-large', detail: expect.stringMatching(/> limit 1024$/) }]);
  });

  for (const [what, encode] of [
    ['UTF-16LE with a BOM', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
    ['UTF-16BE without a BOM', (s: string) => Buffer.from(s, 'utf16le').swap16()],
  ] as const) {
    it(`dir: a ${what} file is decoded and scanned, in windows too`, () => {
      const keys = new Map([[2, awsAccessKeyId()], [90, awsAccessKeyId()]]);
      const b = box(`utf16-${what}`, (w) => writeFileSync(path.join(w, 'notes.txt'), encode(text(100, keys))));
      const run = runHostile(b, ['dir', '.', '-f', 'json'], { env: WINDOW });
      expectContained(b, run, { status: 1, secrets: [...keys.values()] });
      expect(places(report(run))).toEqual(['notes.txt:2:46', 'notes.txt:90:46']);
    });
  }

  // Reads 2 GiB (a minute of CPU on a busy 2-core runner): run with SECRETSCAN_HOSTILE_SLOW=1.
  it.runIf(process.env.SECRETSCAN_HOSTILE_SLOW === '1')('dir: a sparse file over 2 GiB is scanned in windows (no ERR_OUT_OF_RANGE), the key past 2 GiB found', () => {
    const key = awsAccessKeyId();
    const b = box('over-2gib', (w) => {
      const fd = openSync(path.join(w, 'huge.log'), 'w');
      writeSync(fd, 'start of a log line\n'.repeat(1000)); // text first: a NUL in the first 8 KiB would make it binary
      writeSync(fd, `\nAWS=${key}\n`, 2 ** 31 + 4096);
      closeSync(fd);
    });
    const run = runHostile(b, ['dir', '.', '-f', 'json'], { timeoutMs: 400_000 });
    expectContained(b, run, { status: 1, secrets: [key], maxMs: 400_000, maxRssKb: 300 * 1024 });
    expect(report(run).findings.map((f) => f.ruleId)).toEqual(['aws-access-key-id']);
  }, 410_000);

  it('stdin: input many windows long is scanned in bounded memory, keys at their lines', () => {
    const keys = new Map([[3, awsAccessKeyId()], [2000, awsAccessKeyId()]]);
    const b = box('stdin-windows', () => {});
    const run = runHostile(b, ['stdin', '-f', 'json'], { env: WINDOW, input: text(2000, keys) });
    expectContained(b, run, { status: 1, secrets: [...keys.values()] });
    expect(places(report(run))).toEqual(['<stdin>:2000:46', '<stdin>:3:46']);
  });

  it('stdin: with --max-file-size set, input over it is a one-line error', () => {
    const b = box('stdin-limit', () => {});
    const run = runHostile(b, ['stdin', '--max-file-size', '1KB'], { input: 'a'.repeat(4096) });
    expectContained(b, run, { status: 2, error: /standard input is over the max-file-size limit of 1024 bytes/ });
  });

  // A file that yields fewer bytes than its size says (as one truncated while it is read): /sys
  // files report 4096 bytes and hold a few.
  const SHORT = '/sys/kernel/uevent_seqnum';
  it.runIf(existsSync(SHORT))('dir: a file shorter than its size is scanned as far as it goes, and noted', () => {
    const b = box('short-read', () => {});
    const run = runHostile(b, ['dir', SHORT, '-f', 'json']);
    expectContained(b, run, { status: 0 });
    const r = report(run);
    expect(r.skipped).toEqual([{ path: 'uevent_seqnum', reason: 'short-read', detail: expect.stringMatching(/^shrank while read: \d+ of 4096 bytes scanned$/) }]);
    expect(r.summary.files).toBe(1);
  });

  it('dir: a binary file is listed as binary, not dropped', () => {
    const b = box('binary', (w) => writeFileSync(path.join(w, 'x.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2])));
    const run = runHostile(b, ['dir', '.', '-f', 'json']);
    expectContained(b, run, { status: 0 });
    expect(report(run).skipped).toEqual([{ path: 'x.bin', reason: 'binary' }]);
  });
});
