#!/usr/bin/env node
// CPU time by thread of one command (Linux: read from /proc), to see where a scan's CPU goes when
// a --cpu-prof profile cannot tell: a profile samples wall time, so a thread that waits for a core
// on a busy machine looks busy, and V8's garbage collection helpers and libuv's threads (gzip
// layers) do not show at all.
// Usage: node bench/threads.mjs [--every MS] [--timeline SECONDS] -- COMMAND [ARGS...]
//   e.g. node bench/threads.mjs -- node bin/secretscan.js git /path/to/curl.git -f json -o /tmp/r.json --no-fail
// Prints the command's wall time, the CPU seconds of its main thread, of each other thread that
// used some (node names them all "node": the two busiest are the scan's workers, the others V8's
// helpers and libuv's pool), and of its child processes (git, zstd), as last seen before it ended.
// --timeline prints, every SECONDS while it runs, the CPU each used in that interval: which part
// of a scan waits on which (a history scan's git log walk against its cat-file reads, say).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
if (dash < 0 || dash === argv.length - 1) {
  console.error('usage: node bench/threads.mjs [--every MS] [--timeline SECONDS] -- COMMAND [ARGS...]');
  process.exit(2);
}
const timelineAt = argv.indexOf('--timeline');
const timeline = timelineAt >= 0 && timelineAt < dash ? Number(argv[timelineAt + 1]) : null;
if (timeline !== null && !(timeline >= 0.1)) {
  console.error('--timeline takes a number of seconds, 0.1 or more');
  process.exit(2);
}
const everyAt = argv.indexOf('--every');
const every = everyAt >= 0 && everyAt < dash ? Number(argv[everyAt + 1]) : 100;
if (!Number.isInteger(every) || every < 10) {
  console.error('--every takes a whole number of milliseconds, 10 or more');
  process.exit(2);
}
const [cmd, ...args] = argv.slice(dash + 1);
const ticks = 100; // USER_HZ on Linux

/** utime + stime of a /proc stat line, in seconds (fields 14 and 15, counted after the comm in parentheses). */
function cpuOf(statLine) {
  const rest = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / ticks;
}

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // the thread or process ended between listing and reading
  }
}

const threads = new Map(); // tid → cpu seconds
const children = new Map(); // pid → { name, cpu }

function poll(pid) {
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    const stat = read(`/proc/${pid}/task/${tid}/stat`);
    if (stat) threads.set(tid, cpuOf(stat));
  }
  for (const tid of tids) {
    for (const child of (read(`/proc/${pid}/task/${tid}/children`) ?? '').split(' ').filter(Boolean)) {
      const stat = read(`/proc/${child}/stat`);
      if (!stat) continue;
      // git's children all say "git": the subcommand (log, cat-file) tells them apart.
      const name = (read(`/proc/${child}/comm`) ?? '?').trim();
      const sub = name === 'git' ? (read(`/proc/${child}/cmdline`) ?? '').split('\0').slice(1).find((a) => !a.startsWith('-')) : undefined;
      children.set(child, { name: sub ? `git ${sub}` : name, cpu: cpuOf(stat) });
    }
  }
}

const started = performance.now();
const child = spawn(cmd, args, { stdio: 'inherit' });
const timer = setInterval(() => poll(child.pid), every);

/**
 * One line per interval: CPU seconds each used since the last line (main thread, the two busiest
 * other threads and the rest together, each child process).
 */
let last = { at: started, threads: new Map(), children: new Map() };
function timelineLine() {
  poll(child.pid);
  const now = performance.now();
  const span = (now - last.at) / 1000;
  const main = String(child.pid);
  const used = (before, key, cpu) => cpu - (before.get(key) ?? 0);
  const mainUsed = used(last.threads, main, threads.get(main) ?? 0);
  const others = [...threads].filter(([tid]) => tid !== main).map(([tid, cpu]) => used(last.threads, tid, cpu)).filter((c) => c > 0).sort((a, b) => b - a);
  const kids = [...children].map(([pid, k]) => ({ name: k.name, cpu: used(last.children, pid, k.cpu) })).filter((k) => k.cpu > 0);
  const total = mainUsed + others.reduce((a, b) => a + b, 0) + kids.reduce((a, k) => a + k.cpu, 0);
  const f = (x) => x.toFixed(2);
  const parts = [`main ${f(mainUsed)}`, `threads ${others.slice(0, 2).map(f).join('/') || '0'}${others.length > 2 ? ` +${f(others.slice(2).reduce((a, b) => a + b, 0))}` : ''}`, ...kids.map((k) => `${k.name} ${f(k.cpu)}`)];
  console.log(`  ${((now - started) / 1000).toFixed(1).padStart(6)} s  ${f(total / span)} cores busy  ${parts.join('  ')}`);
  last = { at: now, threads: new Map(threads), children: new Map([...children].map(([pid, k]) => [pid, k.cpu])) };
}
const lines = timeline === null ? null : setInterval(timelineLine, timeline * 1000);
child.on('exit', (code, signal) => {
  clearInterval(timer);
  if (lines) clearInterval(lines);
  const wall = (performance.now() - started) / 1000;
  const main = threads.get(String(child.pid)) ?? 0;
  const others = [...threads].filter(([tid, cpu]) => tid !== String(child.pid) && cpu > 0).map(([, cpu]) => cpu).sort((a, b) => b - a);
  const kids = [...children.values()].sort((a, b) => b.cpu - a.cpu);
  const total = main + others.reduce((a, b) => a + b, 0) + kids.reduce((a, k) => a + k.cpu, 0);
  const f = (s) => `${s.toFixed(2)} s`;
  console.log(`wall ${f(wall)}, CPU ${f(total)} (${(total / wall).toFixed(2)} cores busy on average), last seen up to ${every} ms before the end`);
  console.log(`  main thread          ${f(main)}`);
  others.forEach((cpu, i) => console.log(`  ${i < 2 ? 'busiest threads' : 'other threads  '} #${String(i + 1).padEnd(3)} ${f(cpu)}`));
  for (const k of kids) console.log(`  child ${k.name.padEnd(14)} ${f(k.cpu)}`);
  process.exitCode = code ?? (signal ? 1 : 0);
});
