// Loads the bundled CLI (dist/bundle/cli.cjs, one CommonJS script built by `npm run build`) with the
// V8 code cache the build made for it (cli.cjs.cache), so that a short run (a pre-commit hook, a
// one-file scan) neither parses nor compiles the code it runs: about 30 ms of a ~250 ms start.
// CommonJS and not an ES module, because Node 20 can give compiled code only to a vm.Script, and
// because loading one script skips the ES module loader's per-file resolve, fetch and link.
//
// The cache is trusted as the code beside it is (both ship in dist/), but only for the exact
// script it was made from: V8 itself checks only the source's length, so the cache starts with
// the SHA-256 of the script's bytes and is not used when they differ. A cache V8 rejects (made by
// another Node or V8 version, or other V8 flags) costs nothing but the compile it would have saved.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle', 'cli.cjs');
export const CACHE = `${BUNDLE}.cache`;
const DIGEST_BYTES = 32;

/** Whether the bundle was built (esbuild is a devDependency: a build without it has only dist/cli/). */
export function bundleBuilt() {
  return existsSync(BUNDLE);
}

/** The SHA-256 of the script the cache belongs to, as the cache's first bytes hold it. */
export function scriptDigest(bytes) {
  return createHash('sha256').update(bytes).digest();
}

/** The cache file's bytes for a script: its digest, then V8's data. */
export function cacheFile(scriptBytes, v8Data) {
  return Buffer.concat([scriptDigest(scriptBytes), v8Data]);
}

/**
 * Compiles and runs the bundle; returns its exports (`run`, `main`), the vm.Script (whose
 * createCachedData() the build calls after a warm-up run) and what became of the cache:
 * 'used', 'none' (no cache file, or `useCache` false), 'stale' (made for other bytes) or
 * 'rejected' (by V8).
 */
export function loadCli({ useCache = true } = {}) {
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
      if (file.length > DIGEST_BYTES && scriptDigest(bytes).equals(file.subarray(0, DIGEST_BYTES))) cachedData = file.subarray(DIGEST_BYTES);
      else cache = 'stale';
    }
  }
  // esbuild writes ASCII (non-ASCII characters escaped): latin1 is a plain copy of the bytes.
  const script = new vm.Script(Module.wrap(bytes.toString('latin1')), { filename: BUNDLE, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { cli: module.exports, script, cache };
}
