import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * `npm run build` (scripts/build.mjs) skips the build when dist/ is current, so `npm ci` (whose
 * postinstall builds) followed by `npm test` or `npm run demo` builds once. Run in a scratch
 * project whose tsc and bundle step only record that they ran.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let dir: string;

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

function build(...args: string[]) {
  return spawnSync(process.execPath, [path.join(dir, 'scripts', 'build.mjs'), ...args], { cwd: dir, encoding: 'utf8' });
}

const ran = () => (existsSync(path.join(dir, 'ran')) ? readFileSync(path.join(dir, 'ran'), 'utf8') : '');
const age = (rel: string, seconds: number) => utimesSync(path.join(dir, rel), new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-build-'));
  mkdirSync(path.join(dir, 'scripts'));
  copyFileSync(path.join(ROOT, 'scripts', 'build.mjs'), path.join(dir, 'scripts', 'build.mjs'));
  write('node_modules/typescript/package.json', '{"name":"typescript","version":"0.0.0"}');
  write('node_modules/typescript/bin/tsc', "require('node:fs').appendFileSync('ran', 'tsc\\n');\n");
  write('dist/rules/builtin.js', "import { appendFileSync, writeFileSync } from 'node:fs';\nappendFileSync('ran', 'bundle\\n');\nwriteFileSync('dist/builtin-rules.json', '{}');\n");
  write('dist/cli/main.js', '');
  write('dist/builtin-rules.json', '{}');
  write('src/a.ts', 'export {};\n');
  write('rules/x.yml', 'provider: x\n');
  write('tsconfig.json', '{}');
  write('package.json', '{"type":"module"}');
  for (const rel of ['src/a.ts', 'src', 'rules/x.yml', 'rules', 'tsconfig.json', 'package.json']) age(rel, 60);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run build', () => {
  it('skips when dist/ is newer than every source, rule and config file', () => {
    const r = build();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('dist/ is current: build skipped');
    expect(ran()).toBe('');
  });

  it('builds when a source or rule file changed, or with --force', () => {
    age('dist/builtin-rules.json', 120);
    expect(build().status).toBe(0);
    expect(ran()).toBe('tsc\nbundle\n');
    expect(build().stdout).toContain('build skipped'); // the bundle it wrote is newer now
    writeFileSync(path.join(dir, 'rules', 'x.yml'), 'provider: y\n');
    expect(build().status).toBe(0);
    expect(ran()).toBe('tsc\nbundle\ntsc\nbundle\n');
    expect(build('--force').status).toBe(0);
    expect(ran().split('\n').filter(Boolean)).toHaveLength(6);
  });

  it('builds when dist/ is missing', () => {
    rmSync(path.join(dir, 'dist', 'cli'), { recursive: true });
    expect(build().status).toBe(0);
    expect(ran()).toBe('tsc\nbundle\n');
  });
});
