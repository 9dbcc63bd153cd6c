// `npm run build`: tsc (types, the library entry), the CLI bundle (esbuild), then the built-in rules bundle;
// skipped when dist/ is newer than every input (`npm ci` builds in postinstall, and `npm test` /
// `npm run demo` right after should not build again).
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = path.join(root, 'dist', 'builtin-rules.json'); // written last: its time is the build's
// The CLI as bin/secretscan.js loads it: one minified ES module per entry (the CLI, the matching
// worker) and a chunk per lazily loaded part. At the depth of dist/cli/, so that the paths the code
// finds next to itself (../builtin-rules.json, ../../rules, ../../bin) hold in both builds.
const BUNDLE_DIR = path.join(root, 'dist', 'bundle');
const require = createRequire(import.meta.url);

/** esbuild, a devDependency; absent only where devDependencies are not installed. */
function findEsbuild() {
  try {
    return require.resolve('esbuild');
  } catch {
    return null;
  }
}

function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((t, n) => Math.max(t, newest(path.join(p, n))), st.mtimeMs);
}

function current() {
  if (!existsSync(OUTPUT) || !existsSync(path.join(root, 'dist', 'cli', 'main.js'))) return false;
  if (findEsbuild() && !existsSync(path.join(BUNDLE_DIR, 'cli.js'))) return false;
  const inputs = ['src', 'rules', 'tsconfig.json', 'package.json'].map((n) => path.join(root, n)).filter((p) => existsSync(p));
  return inputs.every((p) => newest(p) <= statSync(OUTPUT).mtimeMs);
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function bundle(esbuildPath) {
  const esbuild = await import(esbuildPath.startsWith('/') ? `file://${esbuildPath}` : esbuildPath);
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli/main.ts', worker: 'src/detect/worker.ts' },
    outdir: BUNDLE_DIR,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: !process.env.SECRETSCAN_BUNDLE_PLAIN, // SECRETSCAN_BUNDLE_PLAIN=1: readable names, for profiles
    // re2 is a native addon: loaded from node_modules at run time, as are the CommonJS packages
    // the code itself loads with createRequire when needed (yaml, smol-toml, cli-progress).
    external: ['re2'],
    define: { SECRETSCAN_VERSION: JSON.stringify(version) },
    // Bundled CommonJS dependencies call require() for Node's own modules.
    banner: { js: "import{createRequire as __ssCreateRequire}from'node:module';const require=__ssCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (!process.argv.includes('--force') && current()) {
  console.log('dist/ is current: build skipped (npm run build -- --force to build anyway)');
} else {
  run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
  const esbuildPath = findEsbuild();
  if (esbuildPath) await bundle(esbuildPath);
  else console.log('esbuild is not installed (a devDependency): the CLI runs from dist/cli/ unbundled, and starts slower');
  run(['dist/rules/builtin.js']);
}
