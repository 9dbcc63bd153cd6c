// The layering of src/ (README, "Layout"): every import goes to the same layer or one below, and no file imports itself back through others.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/**
 * Lowest first. A file may import files of its own layer or of a lower one. `.` is the files
 * directly in src/ (types, errors, version); `index.ts` is the library entry, above everything.
 */
const LAYERS: string[][] = [
  ['.', 'core', 'io'],
  ['rules'],
  ['config'],
  ['detect'],
  ['sources'],
  ['findings'],
  ['filters', 'gitleaks'],
  ['scan'],
  ['net'],
  ['verify'],
  ['revoke'],
  ['report'],
  ['ci'],
  ['cli'],
  ['index.ts'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file: static, re-exports, type-only and dynamic `import()`. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2])!);
  return specs;
}

function layerOf(file: string): number {
  const rel = path.relative(SRC, file).split(path.sep);
  const key = rel.length === 1 ? (rel[0] === 'index.ts' ? 'index.ts' : '.') : rel[0]!;
  const at = LAYERS.findIndex((names) => names.includes(key));
  if (at < 0) throw new Error(`src/${rel.join('/')}: its folder is in no layer of test/architecture/imports.test.ts`);
  return at;
}

const files = sourceFiles(SRC);
const graph = new Map(
  files.map((f) => [
    f,
    importsOf(readFileSync(f, 'utf8')).map((spec) => path.resolve(path.dirname(f), spec).replace(/\.js$/, '.ts')),
  ]),
);
const show = (f: string) => path.relative(SRC, f).split(path.sep).join('/');

describe('src/ layering', () => {
  it('finds the imports of every form', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './side.js';",
      "const e = await import('./e.js');",
      "import x from 'node:fs';",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.js', '../b/b.js', './c.js', './d.js', './side.js', './e.js']);
  });

  it('every import resolves to a file of src/', () => {
    const missing = [...graph].flatMap(([f, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${show(f)} -> ${show(t)}`));
    expect(missing).toEqual([]);
  });

  it('no import goes up a layer', () => {
    const upward = [...graph].flatMap(([f, targets]) =>
      targets.filter((t) => graph.has(t) && layerOf(t) > layerOf(f)).map((t) => `${show(f)} -> ${show(t)}`),
    );
    expect(upward).toEqual([]);
  });

  it('no file imports itself back through others', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].map(show).join(' -> '));
        else if (!state.has(t) && graph.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
