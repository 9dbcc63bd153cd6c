// `npm run build`: tsc (types, the library entry), the CLI bundle (esbuild), then the built-in rules bundle;
// skipped when dist/ is newer than every input (`npm ci` builds in postinstall, and `npm test` /
// `npm run demo` right after should not build again).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = path.join(root, 'dist', 'builtin-rules.json'); // written last: its time is the build's
// The CLI as bin/secretscan.js loads it: one minified CommonJS script with its V8 code cache, and the
// matching worker, an ES module. At the depth of dist/cli/, so that the paths the code finds next to
// itself (../builtin-rules.json, ../../rules, ../../bin) hold in both builds.
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
  if (findEsbuild() && !existsSync(path.join(BUNDLE_DIR, 'cli.cjs'))) return false;
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
  const common = {
    absWorkingDir: root,
    outdir: BUNDLE_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: !process.env.SECRETSCAN_BUNDLE_PLAIN, // SECRETSCAN_BUNDLE_PLAIN=1: readable names, for profiles
    // re2 is a native addon: loaded from node_modules at run time, as are the CommonJS packages
    // the code itself loads with createRequire when needed (yaml, smol-toml, cli-progress).
    external: ['re2'],
    define: { SECRETSCAN_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  };
  // The CLI: one CommonJS script (see bin/load-cli.js), each command's modules still initialized
  // only when it runs. import.meta.url, which the code uses to find files beside it, is the script's.
  await esbuild.build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    define: { ...common.define, 'import.meta.url': '__ssMetaUrl' },
    banner: { js: "var __ssMetaUrl=require('node:url').pathToFileURL(__filename).href;" },
  });
  // Its last line names the digest of its code, which its code cache must carry (bin/load-cli.js).
  const cli = path.join(BUNDLE_DIR, 'cli.cjs');
  const { buildScript } = await import('../bin/load-cli.js');
  writeFileSync(cli, buildScript(readFileSync(cli), (code) => createHash('sha256').update(code).digest()));
  // The matching worker, started by pool.ts as ./worker.js: an ES module.
  await esbuild.build({
    ...common,
    entryPoints: { worker: 'src/detect/worker.ts' },
    format: 'esm',
    // Bundled CommonJS dependencies call require() for Node's own modules.
    banner: { js: "import{createRequire as __ssCreateRequire}from'node:module';const require=__ssCreateRequire(import.meta.url);" },
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
  // The CLI's code cache, made by a warm-up run of the built CLI (it needs the rule bundle above).
  if (esbuildPath) run(['scripts/code-cache.mjs']);
}
