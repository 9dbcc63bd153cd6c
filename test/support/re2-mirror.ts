// A local "download mirror" for re2's native addon, so tests that npm-install secretscan do not compile re2.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * re2's install script first fetches a prebuilt addon from `$RE2_DOWNLOAD_MIRROR` (a URL or a local
 * folder) and checks it with re2's own build verification; only when that fails does it compile
 * (about 3 minutes). This puts the addon the repository already built into `dir` under the name
 * re2 asks for on this platform, and returns the variables that point re2 at it.
 */
export function re2Mirror(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const addon = readFileSync(path.join(ROOT, 'node_modules', 're2', 'build', 'Release', 're2.node'));
  // gzip, not brotli: brotli's default quality takes minutes on a multi-megabyte addon. re2 tries .br first, then .gz.
  writeFileSync(path.join(dir, `${process.platform}-${process.arch}-${process.versions.modules}.gz`), gzipSync(addon, { level: 1 }));
  return { RE2_DOWNLOAD_MIRROR: dir, RE2_DOWNLOAD_SKIP_PATH: '1', RE2_DOWNLOAD_SKIP_VER: '1' };
}
