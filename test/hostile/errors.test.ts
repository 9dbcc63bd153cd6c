// Hostile battery, part 5: inputs that must be errors (bad dates and ranges, secrets in bad config
// values) and registries that trickle, stall, never answer, flood or loop.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { git } from '../support/tree.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { expectContained, runHostile, runHostileAsync, Sandbox } from './harness.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.remove();
});

const KEY = stripeSecretKey();

function repo(name: string, files: Record<string, string> = { 'README.md': 'hello\n' }): Sandbox {
  const box = new Sandbox(name);
  boxes.push(box);
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(box.work, rel), text);
  git(box.work, 'init', '-q');
  git(box.work, 'add', '-A');
  git(box.work, 'commit', '-qm', 'init');
  box.snapshot();
  return box;
}

describe('hostile: dates and ranges', () => {
  const usage: [string[], RegExp][] = [
    [['--since', 'not-a-date!!'], /--since "not-a-date!!" is not a date git understands/],
    [['--since', 'banana'], /--since "banana" is not a date git understands/],
    [['--since', ''], /--since needs a value, not an empty one/],
    [['--range', ''], /--range needs a value, not an empty one/],
    [['--range', '   '], /--range needs a value, not an empty one/],
    [['--range=--output=/tmp/x'], /bad range "--output=\/tmp\/x"/],
    [['--range', 'nosuchref..HEAD'], /bad range "nosuchref\.\.HEAD"/],
  ];
  for (const [args, error] of usage) {
    it(`git ${args.map((a) => JSON.stringify(a)).join(' ')} is a usage error, not a scan`, () => {
      const box = repo(`git-${args.join('-')}`);
      expectContained(box, runHostile(box, ['git', '.', ...args]), { status: 2, error });
    });
  }

  for (const since of ['2024-01-01', '2 weeks ago', 'yesterday', 'today']) {
    it(`git --since "${since}" is accepted`, () => {
      const box = repo(`since-${since}`);
      expectContained(box, runHostile(box, ['git', '.', '--since', since]), { status: 0 });
    });
  }
});

describe('hostile: secrets in the user\'s own config are not repeated in errors', () => {
  it('an allow-regex RE2 rejects is shown redacted', () => {
    const box = repo('allow-regex', { '.secretscanrc': `allow-regexes:\n  - "${KEY}(?<x>"\n` });
    expectContained(box, runHostile(box, ['dir', '.']), { status: 2, error: /allow-regexes\[0\]: pattern sk_l…\(\d+ chars\) is not valid RE2 syntax/, secrets: [KEY] });
  });

  it('a baseline whose key is a raw secret is shown redacted', () => {
    const box = repo('baseline-key', { 'b.json': JSON.stringify({ 'secretscan-baseline': 1, [KEY]: { ruleId: 'r', path: 'p' } }) });
    expectContained(box, runHostile(box, ['dir', '.', '--baseline', 'b.json']), { status: 2, error: /entry 1 \("sk_l…\(\d+ chars\)"\): the key must be a location fingerprint/, secrets: [KEY] });
  });

  it('a baseline that is not JSON is refused without quoting it', () => {
    const box = repo('baseline-json', { 'b.json': `{"secretscan-baseline": 1, ${KEY}` });
    expectContained(box, runHostile(box, ['dir', '.', '--baseline', 'b.json']), { status: 2, error: /not a valid baseline: not JSON/, secrets: [KEY] });
  });
});

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A loopback "registry" whose manifest endpoint behaves as the case says. */
describe('hostile: registries', () => {
  let server: http.Server;
  let port = 0;
  let behave: Behaviour = (_q, res) => res.end();
  const timers = new Set<NodeJS.Timeout>();
  beforeAll(async () => {
    server = http.createServer((req, res) => behave(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    for (const t of timers) clearInterval(t);
    timers.clear();
    server.closeAllConnections();
  });

  /** Sends `bytes` bytes of a JSON-looking body, `per` at a time every `ms`. */
  const trickle = (per: number, ms: number): Behaviour => (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    res.write('{"schemaVersion": 2, "pad": "');
    const t = setInterval(() => res.write('x'.repeat(per)), ms);
    timers.add(t);
    res.on('close', () => clearInterval(t));
  };

  const cases: [string, Behaviour, Record<string, string>, RegExp][] = [
    ['trickles one byte every 100 ms', trickle(1, 100), { SECRETSCAN_REGISTRY_MIN_RATE: '1000', SECRETSCAN_REGISTRY_RATE_WINDOW_MS: '1000' }, /sent .* at \d+ bytes\/s, under the minimum of 1000 bytes\/s/],
    ['sends fast enough but past the deadline', trickle(64, 20), { SECRETSCAN_REGISTRY_MIN_RATE: '1', SECRETSCAN_REGISTRY_DEADLINE_MS: '1500' }, /did not download within the 1\.5 s deadline/],
    ['stalls after the headers', trickle(0, 1_000_000), { SECRETSCAN_REGISTRY_TIMEOUT_MS: '1000' }, /stopped sending .* for 1 s/],
    ['never answers', () => {}, { SECRETSCAN_REGISTRY_TIMEOUT_MS: '1000' }, /no answer within the timeout/],
    ['floods a manifest without end', trickle(256 * 1024, 1), {}, /over \d+ bytes/],
    ['redirects forever', (req, res) => {
      res.writeHead(307, { location: `${req.url}x` });
      res.end();
    }, {}, /too many redirects/],
    ['answers 500 with a body holding a key', (_q, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'BOOM', message: `db password ${KEY}` }] }).slice(0, 30));
    }, {}, /HTTP 500|answered 500|500/],
  ];
  for (const [what, behaviour, env, error] of cases) {
    it(`image from a registry that ${what}: a one-line error within its bound`, async () => {
      const box = new Sandbox(`registry-${what}`);
      boxes.push(box);
      box.snapshot();
      behave = behaviour;
      const run = await runHostileAsync(box, ['image', `127.0.0.1:${port}/team/app:1.0`, '--insecure'], { env, timeoutMs: 20_000 });
      expectContained(box, run, { status: 2, error, secrets: [KEY], maxMs: 15_000 });
    });
  }
});
