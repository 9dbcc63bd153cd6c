import { describe, expect, it } from 'vitest';
import { missingAddon } from '../../src/cli/main.js';

// What Node throws when re2's package is there but its compiled addon is not (an install with
// scripts turned off), and errors that only look alike.
function notFound(message: string, requireStack: string[]) {
  return Object.assign(new Error(message), { code: 'MODULE_NOT_FOUND', requireStack });
}

describe('a missing re2 addon', () => {
  it('is told apart, with the folder to rebuild it in', () => {
    const e = notFound("Cannot find module './build/Release/re2.node'\nRequire stack:\n- /opt/tools/lib/node_modules/secretscan/node_modules/re2/re2.js", [
      '/opt/tools/lib/node_modules/secretscan/node_modules/re2/re2.js',
      '/opt/tools/lib/node_modules/secretscan/dist/bundle/cli.cjs',
    ]);
    expect(missingAddon(e)).toBe('run `npm rebuild re2` in /opt/tools/lib/node_modules/secretscan (re2 compiles, a few minutes), or install again with --allow-scripts=secretscan,re2');
  });

  it('says what to run even without a require stack', () => {
    expect(missingAddon(notFound("Cannot find module './build/Release/re2.node'", []))).toMatch(/^run `npm rebuild re2` in the folder secretscan is installed in/);
  });

  it('is not any other missing module or error', () => {
    expect(missingAddon(notFound("Cannot find module 'yargs'", ['/x/node_modules/secretscan/dist/cli/main.js']))).toBeNull();
    expect(missingAddon(new Error("Cannot find module './build/Release/re2.node'"))).toBeNull();
    expect(missingAddon(null)).toBeNull();
    expect(missingAddon('re2.node')).toBeNull();
  });
});
