import { pathToFileURL } from 'node:url';
import type { VersionControl } from '../types.js';
import { gitEnv, runGit } from './git-repo.js';

/** Forges where `git@host:owner/repo` and `https://host/owner/repo` name the same repository. */
const SCP_TO_HTTPS_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']);

/**
 * A remote URL fit to publish in a report: no credentials. https/http lose their whole userinfo
 * (a token is often the user name alone); other URL schemes keep the user name but lose a password;
 * scp-style `git@host:path` becomes https only on forges where that is known to be the same
 * repository, else it stays as written (scp-style syntax has no password field).
 */
export function publishableRemote(url: string): string {
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      // Unparseable: still drop anything that looks like userinfo before the host.
      return trimmed.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
    }
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') parsed.username = '';
    parsed.password = '';
    return parsed.href;
  }
  const scp = /^(?:([^@/:]+)(?::[^@/]*)?@)?([^/:]+):(?!\/\/)(.+)$/.exec(trimmed);
  if (scp && !/^[a-z]:$/i.test(`${scp[2]}:`)) {
    const [, user, host, repoPath] = scp;
    if (SCP_TO_HTTPS_HOSTS.has(host!.toLowerCase())) return `https://${host!.toLowerCase()}/${repoPath!.replace(/^\/+/, '')}`;
    return `${user ? `${user}@` : ''}${host}:${repoPath}`;
  }
  if (trimmed.startsWith('/')) return pathToFileURL(trimmed).href;
  return trimmed;
}

/**
 * Which repository, commit and branch a scan covered, for SARIF versionControlProvenance; undefined
 * when `dir` is not inside a git repository (or git is missing), so reports simply go without it.
 */
export async function readVersionControl(dir: string): Promise<VersionControl | undefined> {
  const env = gitEnv();
  const ask = (args: string[]) => runGit(dir, env, args).then((out) => out.trim() || undefined, () => undefined);
  const inside = await ask(['rev-parse', '--is-inside-work-tree', '--is-bare-repository']);
  if (!inside) return undefined;
  const [root, revision, branch, origin] = await Promise.all([
    ask(['rev-parse', '--show-toplevel']),
    ask(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
    ask(['symbolic-ref', '--quiet', '--short', 'HEAD']),
    ask(['config', '--get', 'remote.origin.url']),
  ]);
  return {
    ...(root ? { root } : {}),
    ...(origin ? { repositoryUri: publishableRemote(origin) } : {}),
    ...(revision ? { revisionId: revision } : {}),
    ...(branch ? { branch } : {}),
  };
}
