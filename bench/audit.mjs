#!/usr/bin/env node
// Benchmark of the audit paths, each next to its manual equivalent in the same run:
//  1. `secretscan image docker-daemon:NAME` (export through a fake Engine API on a UNIX socket)
//     vs writing the same archive to disk (what `docker save -o` does) + `secretscan image FILE`;
//  2. `secretscan git --github-org` over N loopback repositories (fake GitHub API, git http-backend)
//     vs `git clone --mirror` + `secretscan git` of each, one after the other.
// Usage: node bench/audit.mjs [--layer-from DIR] [--repos N]   (run `npm run build` first)
// --layer-from DIR: the image's one layer is a tar of DIR (e.g. a node_modules); default: this repo's src/.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'bin', 'secretscan.js');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const layerFrom = path.resolve(opt('--layer-from', path.join(here, '..', 'src')));
const repoCount = Number(opt('--repos', '20'));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-bench-audit-'));
const runs = 3;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A one-layer docker save archive of DIR, tagged bench/app:1. */
function buildArchive() {
  const dir = path.join(scratch, 'archive');
  mkdirSync(dir);
  execFileSync('tar', ['-cf', path.join(dir, 'layer.tar'), '-C', layerFrom, '.']);
  const diff = sha256(path.join(dir, 'layer.tar'));
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${diff}`] }, history: [{ created_by: 'COPY . /' }] });
  const configHash = createHash('sha256').update(config).digest('hex');
  writeFileSync(path.join(dir, `${configHash}.json`), config);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: `${configHash}.json`, RepoTags: ['bench/app:1'], Layers: ['layer.tar'] }]));
  const archive = path.join(scratch, 'app.tar');
  execFileSync('tar', ['-cf', archive, '-C', dir, 'manifest.json', `${configHash}.json`, 'layer.tar']);
  return archive;
}

/** The CLI in a child process that does not block this one (the fake servers live here). */
function cliAsync(argv, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (status) => resolve({ status, err }));
  });
}

async function timedAsync(fn) {
  const t = performance.now();
  const r = await fn();
  if (r && r.status !== 0 && r.status !== 1) throw new Error(`run failed (${r.status}): ${r.err}`);
  return (performance.now() - t) / 1000;
}

async function benchEngine() {
  const archive = buildArchive();
  const socket = path.join(scratch, 'docker.sock');
  const server = http.createServer((req, res) => {
    if (req.url.endsWith('/json')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"Id":"sha256:0"}');
    res.writeHead(200, { 'content-type': 'application/x-tar' });
    createReadStream(archive).pipe(res);
  });
  await new Promise((r) => server.listen(socket, r));
  const env = { DOCKER_HOST: `unix://${socket}` };
  const common = ['--no-config', '-f', 'json', '--no-fail', '-q'];
  const viaEngine = [];
  const viaSave = [];
  for (let i = 0; i < runs; i++) {
    viaEngine.push(await timedAsync(() => cliAsync(['image', 'docker-daemon:bench/app:1', ...common], env)));
    const saved = path.join(scratch, 'saved.tar');
    viaSave.push(await timedAsync(async () => {
      // What `docker save -o saved.tar` does: the same export, written to a file.
      await new Promise((resolve, reject) => {
        http.get({ socketPath: socket, path: '/images/bench%2Fapp%3A1/get' }, (res) => res.pipe(createWriteStream(saved)).on('finish', resolve)).on('error', reject);
      });
      return cliAsync(['image', saved, ...common]);
    }));
    rmSync(saved, { force: true });
  }
  server.close();
  const mb = statSync(archive).size / 2 ** 20;
  console.log(`image (${mb.toFixed(0)} MB archive, ${layerFrom}): engine export + scan ${median(viaEngine).toFixed(2)} s; save to disk + scan ${median(viaSave).toFixed(2)} s; ratio ${(median(viaEngine) / median(viaSave)).toFixed(2)}`);
}

async function benchOrg() {
  const served = path.join(scratch, 'served');
  mkdirSync(served);
  for (let i = 0; i < repoCount; i++) {
    const work = path.join(scratch, 'work', `r${i}`);
    mkdirSync(work, { recursive: true });
    const git = (...a) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b.invalid', ...a], { cwd: work, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    for (let c = 0; c < 20; c++) {
      writeFileSync(path.join(work, `f${c % 5}.js`), `// commit ${c}\n${'const x = 1;\n'.repeat(200 + c)}`);
      git('add', '.');
      git('commit', '-qm', `c${c}`);
    }
    execFileSync('git', ['clone', '-q', '--bare', work, path.join(served, `r${i}.git`)]);
  }
  const gitServer = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const cgi = spawn('git', ['http-backend'], { env: { PATH: process.env.PATH, GIT_PROJECT_ROOT: served, GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: url.pathname, QUERY_STRING: url.search.slice(1), REQUEST_METHOD: req.method, CONTENT_TYPE: req.headers['content-type'] ?? '' } });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (d) => {
      if (started) return void res.write(d);
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      started = true;
      const headers = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const [k, ...v] = line.split(':');
        if (k.toLowerCase() === 'status') status = parseInt(v.join(':'), 10);
        else headers[k] = v.join(':').trim();
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  await new Promise((r) => gitServer.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${gitServer.address().port}`;
  const api = http.createServer((req, res) => {
    const body = Array.from({ length: repoCount }, (_, i) => ({ full_name: `bench/r${i}`, clone_url: `${base}/r${i}.git`, fork: false, archived: false }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise((r) => api.listen(0, '127.0.0.1', r));
  const apiUrl = `http://127.0.0.1:${api.address().port}`;
  const org = [];
  const manual = [];
  for (let i = 0; i < runs; i++) {
    org.push(await timedAsync(() => cliAsync(['git', '--github-org', 'bench', '--api-url', apiUrl, '--no-config', '-f', 'json', '--no-fail', '-q'])));
    manual.push(await timedAsync(async () => {
      for (let r = 0; r < repoCount; r++) {
        const dest = path.join(scratch, `m${r}.git`);
        await new Promise((resolve) => spawn('git', ['clone', '-q', '--mirror', `${base}/r${r}.git`, dest]).on('close', resolve));
        await cliAsync(['git', dest, '--no-config', '-f', 'json', '--no-fail', '-q']);
        rmSync(dest, { recursive: true, force: true });
      }
    }));
  }
  gitServer.close();
  api.close();
  console.log(`organisation of ${repoCount} repositories: --github-org ${median(org).toFixed(2)} s; clone + scan each in turn ${median(manual).toFixed(2)} s; ratio ${(median(org) / median(manual)).toFixed(2)}`);
}

try {
  await benchEngine();
  await benchOrg();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
