import { describe, expect, it } from 'vitest';
import { SLAB_BYTES, VersionCache } from '../../src/sources/git-version-cache.js';

const MiB = 1024 * 1024;
const filled = (length: number, byte: number) => Buffer.alloc(length, byte);

describe('VersionCache', () => {
  it('gives a kept version back to each later version announced, then lets it go once the walk is over', () => {
    const cache = new VersionCache(64 * MiB);
    cache.expect('a');
    cache.expect('a');
    const source = filled(10_000, 1);
    cache.keep('a', source);
    source.fill(9); // a copy was kept, not the caller's buffer
    cache.finishWalk();
    expect(cache.take('a')!.equals(filled(10_000, 1))).toBe(true);
    expect(cache.take('a')!.equals(filled(10_000, 1))).toBe(true);
    expect(cache.take('a')).toBeUndefined();
    // After the walk, nothing waits for 'b': not kept at all.
    cache.keep('b', filled(100, 2));
    expect(cache.take('b')).toBeUndefined();
  });

  it('refills the slab of the oldest versions when all slabs are taken, and never hands out overwritten bytes', () => {
    // A 32 MiB bound: three 8 MiB slabs, 8 MiB for larger versions.
    const cache = new VersionCache(32 * MiB);
    const size = 5 * MiB; // one per slab: two do not fit in one
    for (const [i, oid] of ['v1', 'v2', 'v3', 'v4'].entries()) {
      cache.expect(oid);
      cache.keep(oid, filled(size, i + 1));
    }
    expect(cache.take('v1')).toBeUndefined();
    expect(cache.take('v2')!.equals(filled(size, 2))).toBe(true);
    expect(cache.take('v3')!.equals(filled(size, 3))).toBe(true);
    expect(cache.take('v4')!.equals(filled(size, 4))).toBe(true);
    expect(cache.allocatedBytes).toBe(3 * SLAB_BYTES);
  });

  it('packs small versions into one slab, and empties the oldest slab when it needs one', () => {
    const cache = new VersionCache(32 * MiB);
    const size = MiB;
    const perSlab = SLAB_BYTES / size;
    const count = 3 * perSlab + 2; // two more than the slabs hold
    for (let i = 0; i < count; i++) {
      cache.expect(`v${i}`);
      cache.keep(`v${i}`, filled(size, i % 250));
    }
    // The first slab's versions went, oldest first, to make room; the rest are intact.
    for (let i = 0; i < perSlab; i++) expect(cache.take(`v${i}`), `v${i}`).toBeUndefined();
    for (let i = perSlab; i < count; i++) expect(cache.take(`v${i}`)?.equals(filled(size, i % 250)), `v${i}`).toBe(true);
  });

  it('fills a slab again once the versions in it are no longer awaited, without evicting others or growing', () => {
    const cache = new VersionCache(32 * MiB);
    cache.finishWalk();
    const size = 3 * MiB;
    // Each version awaited once and taken right after the next is kept: a file's chain of versions.
    cache.expect('v0');
    cache.keep('v0', filled(size, 0));
    for (let i = 1; i < 40; i++) {
      cache.expect(`v${i}`);
      expect(cache.take(`v${i - 1}`)?.equals(filled(size, (i - 1) % 250)), `v${i - 1}`).toBe(true);
      cache.keep(`v${i}`, filled(size, i % 250));
    }
    expect(cache.allocatedBytes).toBeLessThanOrEqual(2 * SLAB_BYTES);
  });

  it('keeps versions larger than a slab in buffers of their own, within their share of the bound', () => {
    const cache = new VersionCache(32 * MiB); // 8 MiB for versions larger than a slab
    const big = SLAB_BYTES + 1;
    cache.expect('huge');
    cache.keep('huge', filled(9 * MiB, 1)); // over that share: not kept
    expect(cache.take('huge')).toBeUndefined();
    const large = new VersionCache(80 * MiB); // ring of 7 slabs (56 MiB), 24 MiB for large versions: two fit
    for (const oid of ['L1', 'L2', 'L3']) {
      large.expect(oid);
      large.keep(oid, filled(big, oid.charCodeAt(1)));
    }
    expect(large.take('L1')).toBeUndefined();
    expect(large.take('L2')!.equals(filled(big, '2'.charCodeAt(0)))).toBe(true);
    expect(large.take('L3')!.equals(filled(big, '3'.charCodeAt(0)))).toBe(true);
  });

  it('holds at most its bound of bytes whatever is kept', () => {
    const cache = new VersionCache(32 * MiB);
    for (let i = 0; i < 200; i++) {
      cache.expect(`v${i}`);
      cache.keep(`v${i}`, filled(((i * 7919) % (6 * MiB)) + 1, 1));
    }
    expect(cache.heldBytes).toBeLessThanOrEqual(32 * MiB);
  });
});
