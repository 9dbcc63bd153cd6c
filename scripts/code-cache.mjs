// Part of `npm run build`: makes dist/bundle/cli.cjs.cache, the V8 code cache bin/load-cli.js gives
// the bundled CLI. V8 caches the functions compiled so far, so the script runs first the commands a
// developer waits on: a scan of the demo folder (findings, their guidance, the text report) and a
// pre-commit scan of a staged file. Their output is dropped; only the cache is written.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE, CACHE, cacheFile, loadCli } from '../bin/load-cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(CACHE, { force: true });
const { cli, script } = loadCli({ useCache: false });

// Reports go nowhere; messages are kept, to be shown should the warm-up fail.
const { stdout, stderr } = process;
const writes = { out: stdout.write, err: stderr.write };
let messages = '';
const drop = (keep) => (chunk, encoding, done) => {
  if (keep) messages += String(chunk);
  (typeof encoding === 'function' ? encoding : done)?.();
  return true;
};
stdout.write = drop(false);
stderr.write = drop(true);
const demo = path.join(root, 'fixtures', 'demo');
const repo = mkdtempSync(path.join(os.tmpdir(), 'secretscan-code-cache-'));
const cwd = process.cwd();
try {
  // Each part only where it can run (a copy without fixtures, a machine without git): a cache of
  // less code is still a cache; the rest compiles as it runs.
  if (existsSync(demo)) await cli.run(['dir', demo]);
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  let staged = false;
  try {
    execFileSync('git', ['init', '-q', repo], { env, stdio: 'ignore' });
    // A made-up value, so that the warm-up reports a finding (allowed here, not in the file it writes).
    writeFileSync(path.join(repo, 'settings.py'), 'SECRET_KEY = "k9Tq2Lw8Zr4Xv7Mn3Pb6"\n'); // secretscan:allow
    execFileSync('git', ['add', '.'], { cwd: repo, env, stdio: 'ignore' });
    staged = true;
  } catch {
    // No git here: no staged scan to warm up.
  }
  if (staged) {
    process.chdir(repo);
    await cli.run(['git', '--staged']);
  }
} finally {
  process.chdir(cwd);
  stdout.write = writes.out;
  stderr.write = writes.err;
  rmSync(repo, { recursive: true, force: true });
}
// Findings are the point of the warm-up, not a failure of the build.
if (process.exitCode !== 1 && process.exitCode !== 0) {
  console.error(`${messages}code cache: the warm-up scan failed (exit ${process.exitCode})`);
  process.exit(1);
}
process.exitCode = 0;
writeFileSync(CACHE, cacheFile(readFileSync(BUNDLE), script.createCachedData()));
