import { describe, expect, it } from 'vitest';
import { addedLines, unquote } from '../../src/sources/git-staged.js';

describe('addedLines', () => {
  it('reads added line ranges from a zero-context patch, per path, quoted or not', () => {
    const patch = [
      'diff --git a/src/app.js b/src/app.js',
      'index 1111111..2222222 100644',
      '--- a/src/app.js',
      '+++ b/src/app.js',
      '@@ -2,0 +3 @@ x',
      '+added',
      '@@ -10,2 +11,3 @@',
      '-old',
      '-old',
      '+new',
      '+new',
      '+new',
      '@@ -20 +22,0 @@',
      '-gone',
      'diff --git "a/caf\\303\\251 \\"x\\".txt" "b/caf\\303\\251 \\"x\\".txt"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/caf\\303\\251 \\"x\\".txt"',
      '@@ -0,0 +1,2 @@',
      '+a',
      '+b',
      'diff --git a/logo.png b/logo.png',
      'Binary files a/logo.png and b/logo.png differ',
      'diff --git a/with space.txt b/with space.txt',
      '@@ -1 +1 @@',
    ].join('\n');
    const added = addedLines(patch);
    expect(added.get('src/app.js')).toEqual([[3, 3], [11, 13]]);
    expect(added.get('café "x".txt')).toEqual([[1, 2]]);
    expect(added.get('logo.png')).toBe('all');
    expect(added.get('with space.txt')).toEqual([[1, 1]]);
  });

  it('unquotes git C-style paths into UTF-8 text', () => {
    expect(unquote('"a/tab\\there\\\\"')).toBe('a/tab\there\\');
    expect(unquote('"\\303\\251"')).toBe('é');
  });
});
