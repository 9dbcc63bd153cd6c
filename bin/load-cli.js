// Loads the bundled CLI (dist/bundle/cli.cjs, one CommonJS script built by `npm run build`) with the
// V8 code cache the build made for it (cli.cjs.cache), so that a short run (a pre-commit hook, a
// one-file scan) neither parses nor compiles the code it runs: about 30 ms of a ~250 ms start.
// CommonJS and not an ES module, because Node 20 can give compiled code only to a vm.Script, and
// because loading one script skips the ES module loader's per-file resolve, fetch and link.
//
// The cache is trusted as the code beside it is (both ship in dist/), but only for the build that
// made the script: V8 itself checks only the source's length, so the build ends the script with a
// line naming the SHA-256 of its code (see buildScript), the cache starts with the same digest, and
// a cache of another build is not used. Hashing the script here instead would load node:crypto
// (~8 ms, a twentieth of a hook's run). A cache V8 rejects (made by another Node or V8 version, or
// under other V8 flags) costs nothing but the compile it would have saved.
//
// This folder's files are CommonJS (bin/package.json): an ES module as the command's entry would
// start Node's ES module loader, ~8 ms of every run.
'use strict';
const { readFileSync, existsSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const BUNDLE = path.resolve(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
const CACHE = `${BUNDLE}.cache`;
const DIGEST_BYTES = 32;
/** The script's last line, written by the build: the SHA-256 (hex) of everything before it. */
const BUILD_LINE = /\n\/\/# secretscan-build sha256:([0-9a-f]{64})\n$/;

/** Whether the bundle was built (esbuild is a devDependency: a build without it has only dist/cli/). */
function bundleBuilt() {
  return existsSync(BUNDLE);
}

/** The digest the script's last line names, or null for a script without that line. */
function buildDigest(script) {
  const hex = BUILD_LINE.exec(script.subarray(Math.max(0, script.length - 100)).toString('latin1'))?.[1];
  return hex ? Buffer.from(hex, 'hex') : null;
}

/** The script as the build writes it: the code, then the line naming its digest (`sha256` of the code). */
function buildScript(code, sha256) {
  return Buffer.concat([code, Buffer.from(`\n//# secretscan-build sha256:${sha256(code).toString('hex')}\n`)]);
}

/** The cache file's bytes for a script: the digest of its build, then V8's data. */
function cacheFile(script, v8Data) {
  const digest = buildDigest(script);
  if (!digest) throw new Error(`${BUNDLE} has no build line: build it with npm run build`);
  return Buffer.concat([digest, v8Data]);
}

/**
 * Compiles and runs the bundle; returns its exports (`run`, `main`), the vm.Script (whose
 * createCachedData() the build calls after a warm-up run) and what became of the cache:
 * 'used', 'none' (no cache file, or `useCache` false), 'stale' (made for another build) or
 * 'rejected' (by V8).
 */
function loadCli({ useCache = true } = {}) {
  const bytes = readFileSync(BUNDLE);
  let cachedData;
  let cache = 'none';
  if (useCache) {
    let file;
    try {
      file = readFileSync(CACHE);
    } catch {
      // No cache: built without one, or removed. The script compiles as any other.
    }
    if (file) {
      const digest = buildDigest(bytes);
      if (digest && file.length > DIGEST_BYTES && digest.equals(file.subarray(0, DIGEST_BYTES))) cachedData = file.subarray(DIGEST_BYTES);
      else cache = 'stale';
    }
  }
  // esbuild writes ASCII (non-ASCII characters escaped): latin1 is a plain copy of the bytes.
  const script = new vm.Script(Module.wrap(bytes.toString('latin1')), { filename: BUNDLE, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { cli: module.exports, script, cache };
}

module.exports = { BUNDLE, CACHE, bundleBuilt, buildDigest, buildScript, cacheFile, loadCli };
