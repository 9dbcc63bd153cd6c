import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { jsonReport, runCli } from '../support/cli.js';
import { githubToken, password } from '../support/fake-keys.js';
import { useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();

/** rule id → sorted "path:line" of its locations, from a JSON report. */
function byRule(args: string[], options: { cwd?: string; input?: string } = {}): Record<string, string[]> {
  const report = jsonReport(runCli([...args, '--no-config', '-f', 'json', '--show-secrets', '--no-fail'], options));
  const out: Record<string, string[]> = {};
  for (const f of report.findings) for (const l of f.locations) (out[f.ruleId] ??= []).push(`${l.path}:${l.line}`);
  for (const list of Object.values(out)) list.sort();
  return out;
}

// A short plain password: the generic rule would not report it, a credential file makes it a leak.
const NETRC = 'machine ftp.acme.internal\n  login uploads\n  password swordfish\n';
const WP_CONFIG = "<?php\ndefine( 'DB_NAME', 'blog' );\ndefine( 'DB_PASSWORD', 'bluebird' );\n";

describe('credential files', () => {
  it('are reported by their rules in a directory, and the same text in a file of another name is not', () => {
    const root = tempDir();
    const token = githubToken();
    writeTree(root, {
      'home/.netrc': NETRC,
      'site/wp-config.php': WP_CONFIG,
      'home/.docker/config.json': `{"auths": {"registry.acme.internal": {"auth": "${Buffer.from('ci:Tk9Vx2Lp').toString('base64')}"},` +
        ` "ghcr.io": {"auth": "${Buffer.from(`mira:${token}`).toString('base64')}"}}}\n`,
      'deploy/prod.tfvars': `db_password = "${password()}"\n`,
      'docs/README.md': `Put this in ~/.netrc:\n\n${NETRC}\nand in wp-config.php:\n\n${WP_CONFIG}`,
      'site/wp-config-sample.php': "<?php\ndefine( 'DB_PASSWORD', 'password_here' );\ndefine( 'AUTH_KEY', 'put your unique phrase here' );\n",
    });
    const found = byRule(['dir', root]);
    expect(found['host-login-netrc-password']).toEqual(['home/.netrc:3']);
    expect(found['wordpress-db-password']).toEqual(['site/wp-config.php:3']);
    expect(found['terraform-tfvars-secret']).toEqual(['deploy/prod.tfvars:1']);
    // The registry login with a plain password is the Docker rule's; the one holding a GitHub token is GitHub's.
    expect(found['package-registry-docker-auth']).toEqual(['home/.docker/config.json:1']);
    expect(found['github-personal-access-token']).toEqual(['home/.docker/config.json:1']);
    expect(Object.values(found).flat().filter((l) => l.startsWith('docs/') || l.includes('sample'))).toEqual([]);
  });

  it('are reported when worker threads match the files (a tree large enough for them)', () => {
    const root = tempDir();
    // 600 files are taken for about 19 MB before they are opened: past the threshold for worker threads.
    writeTree(root, { 'home/.netrc': NETRC, ...Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`src/f${i}.txt`, `x=${i}\n`])) });
    expect(byRule(['dir', root, '--threads', '2'])).toEqual({ 'host-login-netrc-password': ['home/.netrc:3'] });
  });

  it('are reported from git history and from staged changes at the blob path', () => {
    const r = new TestRepo(tempDir());
    // notes.txt is not the same blob: history scans each distinct content once, at its first path.
    r.commit('Add deploy login', { 'ops/.netrc': NETRC, 'notes.txt': `Deploy login:\n${NETRC}` });
    expect(byRule(['git', r.dir])).toEqual({ 'host-login-netrc-password': ['ops/.netrc:3'] });
    r.write({ 'blog/wp-config.php': WP_CONFIG });
    r.git('add', 'blog/wp-config.php');
    expect(byRule(['git', '--staged'], { cwd: r.dir })).toEqual({ 'wordpress-db-password': ['blog/wp-config.php:3'] });
  });

  it('are reported from standard input only when --label names such a file', () => {
    expect(byRule(['stdin', '--label', 'wp-config.php'], { input: WP_CONFIG })).toEqual({ 'wordpress-db-password': ['wp-config.php:3'] });
    expect(byRule(['stdin'], { input: WP_CONFIG })).toEqual({});
  });
});
