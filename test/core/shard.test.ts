import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { inShard, parseShard } from '../../src/core/shard.js';

describe('parseShard', () => {
  it('reads K/N, 1-based', () => {
    expect(parseShard('1/1', undefined, {})).toEqual({ index: 1, total: 1 });
    expect(parseShard('3/4', undefined, {})).toEqual({ index: 3, total: 4 });
  });

  it.each(['0/3', '4/3', 'x/y', '1/0', '3', '1/2/3', '-1/3', '1.5/3', ' 1/3', '1e1/20', ''])('rejects "%s" as a UserError', (text) => {
    expect(() => parseShard(text, undefined, {})).toThrow(UserError);
  });

  it('auto: K = JOB_COMPLETION_INDEX + 1, N from the flag first, then SECRETSCAN_SHARD_TOTAL', () => {
    expect(parseShard('auto', 5, { JOB_COMPLETION_INDEX: '0', SECRETSCAN_SHARD_TOTAL: '9' })).toEqual({ index: 1, total: 5 });
    expect(parseShard('auto', undefined, { JOB_COMPLETION_INDEX: '8', SECRETSCAN_SHARD_TOTAL: '9' })).toEqual({ index: 9, total: 9 });
    expect(() => parseShard('auto', undefined, { JOB_COMPLETION_INDEX: '9', SECRETSCAN_SHARD_TOTAL: '9' })).toThrow(/does not name one of 9 shards/);
    expect(() => parseShard('auto', 0, { JOB_COMPLETION_INDEX: '0' })).toThrow(/bad shard total "0"/);
    expect(() => parseShard('2/3', 3, {})).toThrow(/--shard-total goes with --shard auto/);
  });
});

describe('inShard', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `src/module-${i}/index.ts`);

  it('puts every item in exactly one shard, about evenly', () => {
    const total = 4;
    const sizes = Array.from({ length: total }, (_, k) => keys.filter((key) => inShard({ index: k + 1, total }, key)).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(keys.length);
    for (const key of keys) expect([1, 2, 3, 4].filter((k) => inShard({ index: k, total }, key))).toHaveLength(1);
    for (const n of sizes) expect(Math.abs(n - keys.length / total)).toBeLessThan(keys.length / total / 5);
  });

  it('is the same on every call and with no shard or one shard keeps everything', () => {
    expect(keys.map((k) => inShard({ index: 2, total: 3 }, k))).toEqual(keys.map((k) => inShard({ index: 2, total: 3 }, k)));
    expect(keys.every((k) => inShard(undefined, k) && inShard({ index: 1, total: 1 }, k))).toBe(true);
  });
});
