// `npm run build`: tsc, then the built-in rules bundle; skipped when dist/ is newer than every input
// (`npm ci` builds in postinstall, and `npm test` / `npm run demo` right after should not build again).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = path.join(root, 'dist', 'builtin-rules.json'); // written last: its time is the build's

function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((t, n) => Math.max(t, newest(path.join(p, n))), st.mtimeMs);
}

function current() {
  if (!existsSync(OUTPUT) || !existsSync(path.join(root, 'dist', 'cli', 'main.js'))) return false;
  const inputs = ['src', 'rules', 'tsconfig.json', 'package.json'].map((n) => path.join(root, n)).filter((p) => existsSync(p));
  return inputs.every((p) => newest(p) <= statSync(OUTPUT).mtimeMs);
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!process.argv.includes('--force') && current()) {
  console.log('dist/ is current: build skipped (npm run build -- --force to build anyway)');
} else {
  run([createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
  run(['dist/rules/builtin.js']);
}
