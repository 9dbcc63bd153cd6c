/** Remote repositories: a bare mirror clone (every ref) in a temporary folder, removed after the scan. */
import { spawn } from 'node:child_process';
import fs, { existsSync, lstatSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { publishableRemote } from './git-provenance.js';
import { gitEnv } from './git-repo.js';

/**
 * Whether the repository argument names a remote: https://, http://, ssh://, git://, file:// or
 * scp-style user@host:path. A path that exists here is always local.
 */
export function isRemoteUrl(text: string): boolean {
  if (existsSync(text)) return false;
  if (/^(?:https?|ssh|git|file):\/\//i.test(text)) return true;
  return /^[^\s@/:]+@[^\s/:]+:(?!\/\/)\S+$/.test(text);
}

export interface CloneOptions {
  /** Keep the mirror here instead of a temporary folder (must not exist yet, or be empty). */
  keepIn?: string;
  /** Show git's progress (a terminal). */
  progress: boolean;
  /** Extra git configuration for this clone only (e.g. an auth header), passed through the environment. */
  config?: Record<string, string>;
  /** Give up when the transfer is slower than 1 KB/s for this long (s). */
  lowSpeedSeconds?: number;
}

export interface Clone {
  gitDir: string;
  /** The URL without credentials, as reports name it. */
  name: string;
  dispose: () => Promise<void>;
}

/** The URL's secret parts (a password, or a token as the user name), to mask in git's messages. */
function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.password, /^https?:$/.test(u.protocol) ? u.username : ''].filter((s) => s.length >= 4).map(decodeURIComponent);
  } catch {
    return [];
  }
}

function mask(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/**
 * `git clone --mirror` with no prompt (a missing credential fails instead of waiting), no ext::
 * or other local-command transports, and a floor on transfer speed so a stalled server ends it.
 */
export async function cloneMirror(url: string, options: CloneOptions): Promise<Clone> {
  if (url.startsWith('-')) throw new UserError(`bad repository URL "${url}"`);
  const name = publishableRemote(url);
  const secrets = secretsOf(url);
  let dir: string;
  let dispose: () => Promise<void>;
  if (options.keepIn) {
    dir = path.resolve(options.keepIn);
    if (existsSync(dir) && (!lstatSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
      throw new UserError(`--keep-clone ${options.keepIn}: exists and is not an empty folder`, 'name a new folder');
    }
    dispose = async () => {};
  } else {
    // fs.promises, loaded on first use: a staged scan imports this module but clones nothing.
    const parent = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'secretscan-clone-'));
    dir = path.join(parent, 'repo.git');
    dispose = () => fs.promises.rm(parent, { recursive: true, force: true });
  }
  const env = gitEnv();
  const config = {
    'protocol.allow': 'user',
    'protocol.ext.allow': 'never',
    'http.lowSpeedLimit': '1000',
    'http.lowSpeedTime': String(options.lowSpeedSeconds ?? 60),
    ...options.config,
  };
  // Through the environment, not the command line: an auth header must not show in `ps`.
  const entries = Object.entries(config);
  env.GIT_CONFIG_COUNT = String(entries.length);
  entries.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  env.GIT_SSH_COMMAND ??= 'ssh -o BatchMode=yes';
  const args = ['clone', '--mirror', ...(options.progress ? ['--progress'] : ['--quiet']), '--', url, dir];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('git', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        const text = mask(d.toString('utf8'), secrets);
        if (options.progress) process.stderr.write(text);
        if (err.length < 16_384) err += text;
      });
      child.on('error', (e) => reject(new UserError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (or not on PATH)' : e.message)));
      child.on('close', (code) => {
        if (code === 0) return resolve();
        const line = err.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => /^(fatal|error|remote):/.test(l)).pop() ?? `git clone exited ${code}`;
        reject(new UserError(`cannot clone ${name}: ${line.replace(/^(fatal|error): /, '').replace(/[\x00-\x1f\x7f]/g, ' ')}`));
      });
    });
  } catch (e) {
    await dispose();
    throw e;
  }
  return { gitDir: dir, name, dispose };
}
