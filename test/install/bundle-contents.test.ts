import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';

/**
 * The built rule bundle carries the regular expression of every glob of the rules' `paths`, so a
 * scan does not run picomatch's parser at start-up: they must be the ones picomatch makes now,
 * for every glob the rules name (`npm run build` first, as `npm test` does).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('rule bundle files', () => {
  it('are ASCII, as start-up reads them (latin1: a plain copy)', () => {
    for (const f of ['builtin-rules.json', 'builtin-guidance.json']) {
      const bytes = readFileSync(path.join(ROOT, 'dist', f));
      expect(bytes.findIndex((b) => b > 0x7f), f).toBe(-1);
      // Escaped, not dropped: the rules' text still holds non-ASCII characters after parsing.
      expect(JSON.stringify(JSON.parse(bytes.toString('latin1'))), f).toMatch(/[^\x00-\x7f]/);
    }
  });
});

describe('glob expressions in the rule bundle', () => {
  it('holds picomatch’s expression for every glob of every built-in rule', () => {
    const bundle = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'builtin-rules.json'), 'utf8')) as {
      rules: { paths?: string[] }[];
      globs: Record<string, string>;
    };
    const globs = [...new Set(bundle.rules.flatMap((r) => r.paths ?? []))].sort();
    expect(globs.length).toBeGreaterThan(50);
    expect(Object.keys(bundle.globs).sort()).toEqual(globs);
    for (const g of globs) expect(bundle.globs[g], g).toBe(picomatch.makeRe(g, { dot: true, nocase: true }).source);
  });

  it('is what the scan uses: a path-scoped rule applies by the registered expression', async () => {
    const { pathMatcher, registerGlobSources } = await import('../../src/rules/compile.js');
    // A glob registered with a narrower expression (the test's own) is matched by that expression.
    registerGlobSources({ 'only-test/*.zz': '^(?:only-test\\/x\\.zz)$' });
    const applies = pathMatcher(['only-test/*.zz']);
    expect(applies('only-test/x.zz')).toBe(true);
    expect(applies('only-test/a.zz')).toBe(false);
    expect(pathMatcher(['only-test/*.yy'])('only-test/a.yy')).toBe(true);
  });
});
