import { describe, expect, it } from 'vitest';
import { changedRegion, changedRegions, commonPrefix, commonSuffix, countLines } from '../../src/sources/git-region.js';

const b = (s: string) => Buffer.from(s);

describe('changedRegion', () => {
  const before = b(Array.from({ length: 2000 }, (_, i) => `line ${i}\n`).join(''));

  it('is the changed lines plus the margin, widened to whole lines', () => {
    const after = b(before.toString().replace('line 1000\n', 'line 1000 KEY=abc\n'));
    const { start, end } = changedRegion(before, after, 0);
    expect(after.toString('utf8', start, end)).toBe('line 1000 KEY=abc\n');
    const wide = changedRegion(before, after, 20);
    expect(after.toString('utf8', wide.start, wide.end)).toBe('line 998\nline 999\nline 1000 KEY=abc\nline 1001\nline 1002\n');
    expect(countLines(after, wide.start)).toBe(998);
  });

  it('covers an insertion at either end, and a deletion (the lines around the cut)', () => {
    const appended = Buffer.concat([before, b('new last\n')]);
    const r1 = changedRegion(before, appended, 0);
    expect(appended.toString('utf8', r1.start, r1.end)).toBe('new last\n');
    const prepended = Buffer.concat([b('new first\n'), before]);
    const r2 = changedRegion(before, prepended, 0);
    expect(prepended.toString('utf8', r2.start, r2.end)).toBe('new first\n');
    const cut = b(before.toString().replace('line 500\n', ''));
    const r3 = changedRegion(before, cut, 0);
    expect(cut.toString('utf8', r3.start, r3.end)).toBe('line 501\n');
  });

  it('finds common prefixes and suffixes longer than a block', () => {
    const x = Buffer.alloc(10_000, 'a');
    const y = Buffer.concat([Buffer.alloc(9_000, 'a'), b('b'), Buffer.alloc(999, 'a')]);
    expect(commonPrefix(x, y)).toBe(9_000);
    expect(commonSuffix(x, y, 10_000 - 9_000)).toBe(999);
  });

  it('agrees with a byte-by-byte comparison for changes at any offset, across growing blocks', () => {
    const naivePrefix = (x: Buffer, y: Buffer) => {
      let i = 0;
      while (i < x.length && i < y.length && x[i] === y[i]) i++;
      return i;
    };
    const naiveSuffix = (x: Buffer, y: Buffer, max: number) => {
      let i = 0;
      while (i < max && x[x.length - 1 - i] === y[y.length - 1 - i]) i++;
      return i;
    };
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const size = 1 + rand(round < 100 ? 20_000 : 2_000_000);
      const x = Buffer.alloc(size, 'x');
      const y = Buffer.from(x);
      const at = rand(size);
      y[at] = 0x79;
      if (rand(2)) y[rand(size)] = 0x7a;
      const p = commonPrefix(x, y);
      expect(p).toBe(naivePrefix(x, y));
      expect(commonSuffix(x, y, size - p)).toBe(naiveSuffix(x, y, size - p));
    }
  });
});

describe('changedRegions', () => {
  const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i} of the file\n`).join('');
  const before = b(lines(0, 3000));

  it('is one region, the same as changedRegion, where the file changed in one place', () => {
    const after = b(before.toString().replace('line 1500 of', 'line 1500 KEY=abc of'));
    expect(changedRegions(before, after, 100)).toEqual([changedRegion(before, after, 100)]);
  });

  it('leaves out a long unchanged stretch between two changes, but for the margin at each end', () => {
    const after = b(before.toString().replace('line 10 of', 'line 10 KEY=abc of').replace('line 2990 of', 'line 2990 KEY=def of'));
    const regions = changedRegions(before, after, 100);
    expect(regions.length).toBe(2);
    const [top, bottom] = regions as [{ start: number; end: number }, { start: number; end: number }];
    expect(after.toString('utf8', top.start, top.end)).toContain('line 10 KEY=abc of');
    expect(after.toString('utf8', bottom.start, bottom.end)).toContain('line 2990 KEY=def of');
    // Whole lines, at least the margin past the change, far less than the one region.
    expect(after[top.start - 1]).toBe(10);
    expect(after[top.end - 1]).toBe(10);
    expect(after[bottom.start - 1]).toBe(10);
    expect(top.end - after.indexOf('line 11 of')).toBeGreaterThanOrEqual(100);
    expect(after.indexOf('line 2990 KEY') - bottom.start).toBeGreaterThanOrEqual(100);
    const whole = changedRegion(before, after, 100);
    expect(top.end - top.start + bottom.end - bottom.start).toBeLessThan((whole.end - whole.start) / 10);
    expect(countLines(after, bottom.start)).toBe(after.toString('utf8', 0, bottom.start).split('\n').length - 1);
  });

  it('follows lines moved, inserted and deleted: what it leaves out is in the older version, with the margin around it', () => {
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 100; round++) {
      const old = Array.from({ length: 200 + rand(3000) }, (_, i) => `row ${i % (5 + rand(400))} ${rand(3) ? 'same' : 'text'}\n`);
      const edited = [...old];
      for (let e = rand(6); e >= 0; e--) {
        const at = rand(edited.length);
        const kind = rand(3);
        if (kind === 0) edited.splice(at, 1 + rand(50));
        else if (kind === 1) edited.splice(at, 0, ...Array.from({ length: 1 + rand(20) }, () => `new ${rand(1000)}\n`));
        else edited.splice(at, 0, ...old.slice(rand(old.length), rand(old.length))); // a block moved or copied
      }
      const x = b(old.join(''));
      const y = b(edited.join(''));
      const margin = rand(2) ? 1024 : 200;
      const regions = changedRegions(x, y, margin);
      const whole = changedRegion(x, y, margin);
      expect(regions[0]!.start).toBe(whole.start);
      expect(regions[regions.length - 1]!.end).toBe(whole.end);
      for (let k = 1; k < regions.length; k++) {
        const gap = { start: regions[k - 1]!.end, end: regions[k]!.start };
        expect(gap.end - gap.start).toBeGreaterThanOrEqual(4096);
        expect(y[gap.start - 1]).toBe(10);
        expect(y[gap.end - 1]).toBe(10);
        // The stretch left out, and the margin on each side, as they are in the older version.
        expect(x.includes(y.subarray(gap.start - margin, gap.end + margin))).toBe(true);
      }
    }
  });
});
