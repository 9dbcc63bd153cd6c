#!/usr/bin/env node
// Writes what a history scan hands to its matching workers, so that matching history can be
// measured alone (bench/match.mjs --chunks OUT): every chunk of GitHistorySource.chunks() (the
// changed regions of each blob, small blobs whole, commit messages) up to SIZE_MB, in walk order.
// Usage: npm run build && node bench/history-chunks.mjs REPO [OUT_DIR] [SIZE_MB]
//   OUT_DIR (default bench/out/chunks) gets chunks.bin (the bytes, one after another) and
//   chunks.json (per chunk: its path, "" for a commit message, and its length). chunks.bin is the
//   repository's own text as it is, any secret in it included: keep it where the repository's
//   clone may be (bench/out is ignored by git), and delete it after. Commit messages come as the
//   walk reaches them, between blobs, so a dump cut at SIZE_MB mixes them a little differently
//   from one run to the next: measure builds against the same dump.
// Also prints the bytes by kind: regions of blobs matched where they changed (past their first
// byte), blobs with a previous version matched from their first byte (small ones whole, or changed
// near the top), blobs with none (new files), and commit messages.
import { closeSync, constants, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [repoArg, outArg, sizeArg] = process.argv.slice(2);
if (!repoArg) {
  console.error('usage: node bench/history-chunks.mjs REPO [OUT_DIR] [SIZE_MB]');
  process.exit(2);
}
const dist = (m) => pathToFileURL(path.join(here, '..', 'dist', 'sources', m)).href;
const { openRepo } = await import(dist('git-repo.js'));
const { GitHistorySource } = await import(dist('git-history.js'));

const out = path.resolve(outArg ?? path.join(here, 'out', 'chunks'));
const limit = Number(sizeArg ?? 300) * 2 ** 20;
mkdirSync(out, { recursive: true, mode: 0o700 });
const repo = await openRepo(path.resolve(repoArg));
const source = new GitHistorySource(repo, { revisions: ['--all'], maxBytes: 100 * 2 ** 20, wholeBlobs: false, pathAllowed: () => false });
// Never through a symlink left in OUT_DIR.
const WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
let fd;
try {
  fd = openSync(path.join(out, 'chunks.bin'), WRITE, 0o600);
} catch (e) {
  console.error(`cannot write ${path.join(out, 'chunks.bin')}: ${e.message}`);
  process.exit(2);
}
const index = [];
const kinds = new Map();
const count = (kind, bytes) => {
  const k = kinds.get(kind) ?? { chunks: 0, bytes: 0 };
  k.chunks++;
  k.bytes += bytes;
  kinds.set(kind, k);
};
let total = 0;
for await (const c of source.chunks()) {
  if (total >= limit) break;
  const parts = c.kind === 'message' ? [c] : (c.parts ?? [c]);
  const kind =
    c.kind === 'message'
      ? 'commit messages'
      : c.start > 0 || c.parts
        ? 'changed regions'
        : c.record.previous
          ? 'blobs with a previous version, from their first byte'
          : 'blobs with none (new files)';
  for (const p of parts) {
    writeSync(fd, p.bytes);
    index.push([c.kind === 'message' ? '' : c.record.path, p.bytes.length]);
    count(kind, p.bytes.length);
    total += p.bytes.length;
  }
}
closeSync(fd);
writeFileSync(path.join(out, 'chunks.json'), JSON.stringify(index), { flag: WRITE, mode: 0o600 });
const mb = (n) => `${(n / 2 ** 20).toFixed(0)} MB`;
console.log(`${index.length} chunks, ${mb(total)} to match, written to ${out}`);
for (const [kind, k] of kinds) console.log(`  ${kind}: ${k.chunks} chunks, ${mb(k.bytes)}`);
