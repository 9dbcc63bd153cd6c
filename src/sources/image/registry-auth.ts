import { spawnSync } from 'node:child_process';
import { readInputText } from '../../io/safe-read.js';
import os from 'node:os';
import path from 'node:path';
import { DOCKER_HUB } from './reference.js';

/** A parsed WWW-Authenticate challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a WWW-Authenticate header (registries send one). */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const m = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages: never the values. */
  from: string;
}

/** Credentials for a registry, or why there are none that secretscan can use. */
export type CredentialLookup = { credentials: Credentials } | { credentials: null; note?: string };

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json');
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** `https://index.docker.io/v1/` → `index.docker.io`: the host part of a config.json key. */
function keyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

/** The hosts Docker Hub credentials are filed under. */
function hostsFor(registry: string): string[] {
  const host = registry.toLowerCase();
  return host === DOCKER_HUB ? ['index.docker.io', 'docker.io', 'registry-1.docker.io'] : [host];
}

/**
 * Credentials from Docker's config.json ($DOCKER_CONFIG/config.json, else ~/.docker/config.json):
 * `auths.<host>.auth` (base64 user:password) or username/password; a credential helper
 * (`credHelpers.<host>` or `credsStore`) is asked through `docker-credential-<name> get`.
 */
export function lookupCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): CredentialLookup {
  const file = dockerConfigPath(env);
  let config: DockerConfig;
  try {
    config = JSON.parse(readInputText(file, { what: 'Docker config', maxBytes: 4 * 1024 * 1024 })) as DockerConfig;
  } catch (e) {
    if (/: no such file \(ENOENT\)$/.test((e as Error).message)) return { credentials: null };
    // Only our own message: a JSON parser's would quote the file, which holds passwords.
    return { credentials: null, note: e instanceof SyntaxError ? `${file} could not be read (not valid JSON)` : (e as Error).message };
  }
  const hosts = hostsFor(registry);
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (!hosts.includes(keyHost(key))) continue;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), from: file } };
    }
    if (entry.username && entry.password) return { credentials: { username: entry.username, password: entry.password, from: file } };
    if (entry.identitytoken) return { credentials: null, note: `${file} holds an identity token for ${key}, which secretscan does not use` };
  }
  const helper = hosts.map((h) => config.credHelpers?.[h]).find(Boolean) ?? config.credsStore;
  if (helper) return fromHelper(helper, registry, env);
  return { credentials: null };
}

/** Asks `docker-credential-<helper> get` (the credential helper protocol: server URL in, JSON out). */
function fromHelper(helper: string, registry: string, env: NodeJS.ProcessEnv): CredentialLookup {
  const program = `docker-credential-${helper}`;
  const server = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
  const r = spawnSync(program, ['get'], { input: server, encoding: 'utf8', env, timeout: 20_000 });
  if (r.error) return { credentials: null, note: `credentials for ${registry} are kept by ${program}, which could not be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { credentials: null, note: `${program} has no credentials for ${registry}` };
  try {
    const out = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
    if (out.Username && out.Secret && out.Username !== '<token>') return { credentials: { username: out.Username, password: out.Secret, from: program } };
  } catch {
    // fall through
  }
  return { credentials: null, note: `${program} gave no usable credentials for ${registry}` };
}

export function basicAuth(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
