import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { configChunks, layerSteps } from '../../src/sources/image/config-chunks.js';
import { availableZstdEngines, CHUNK, LayerDecompressor, READY_BYTES, liveZstdChildren, type ZstdEngine } from '../../src/sources/image/decompress.js';
import { ZstdFrames } from '../../src/sources/image/zstd-frames.js';
import { platformMatches } from '../../src/sources/image/image-source.js';
import { entryEffect, LayerOverlay } from '../../src/sources/image/overlay.js';
import { parseReference } from '../../src/sources/image/reference.js';
import { lookupCredentials, parseChallenge } from '../../src/sources/image/registry-auth.js';
import { indexTar } from '../../src/sources/image/tar-index.js';
import { heldGzip, walkTar } from '../../src/sources/image/tar-walk.js';
import { classifyTarget } from '../../src/sources/image/target.js';
import { tarBuffer, zstdSync } from '../../fixtures/images/layers.mjs';
import { alive, until } from '../support/processes.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-image-src-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('image references', () => {
  it.each([
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
    ['registry.example.com/team/app:1.2', { registry: 'registry.example.com', repository: 'team/app', tag: '1.2' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app' }],
    ['127.0.0.1:5000/team/app:v1', { registry: '127.0.0.1:5000', repository: 'team/app', tag: 'v1' }],
    ['ghcr.io/org/app@sha256:' + 'a'.repeat(64), { registry: 'ghcr.io', repository: 'org/app', digest: 'sha256:' + 'a'.repeat(64) }],
    ['index.docker.io/nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each(['', 'Alpine:3', 'app:', 'has space:1', 'a//b', 'name@sha256:short'])('rejects %j', (text) => {
    expect(parseReference(text)).toBeNull();
  });

  it('decides what a target is: existing paths are inspected, anything else must be a reference', async () => {
    expect(await classifyTarget(scratch)).toEqual({ kind: 'path', path: scratch });
    expect(await classifyTarget('alpine:3.20')).toMatchObject({ kind: 'reference', reference: { repository: 'library/alpine' } });
    expect(await classifyTarget('oci:some/dir')).toEqual({ kind: 'path', path: 'some/dir', as: 'oci' });
    await expect(classifyTarget('./missing.tar')).rejects.toThrow(/missing\.tar: no such file or directory/);
    await expect(classifyTarget('missing.tar')).rejects.toThrow(/no such file or directory/);
    await expect(classifyTarget('Not A Thing')).rejects.toThrow(/neither a file or directory here nor an image reference/);
  });

  it('matches platforms, with or without a variant', () => {
    expect(platformMatches('linux/arm64/v8', 'linux/arm64')).toBe(true);
    expect(platformMatches('linux/arm64', 'linux/arm64/v8')).toBe(true);
    expect(platformMatches('linux/arm/v7', 'linux/arm/v6')).toBe(false);
    expect(platformMatches('linux/amd64', 'linux/arm64')).toBe(false);
  });
});

describe('union file system: whiteouts, opaque directories, rewrites', () => {
  it('reads entry names as overlayfs does', () => {
    expect(entryEffect('app/.wh.secret.env')).toEqual({ kind: 'whiteout', path: 'app/secret.env' });
    expect(entryEffect('.wh.top')).toEqual({ kind: 'whiteout', path: 'top' });
    expect(entryEffect('opt/old/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: 'opt/old' });
    expect(entryEffect('x/.wh..wh.plnk')).toEqual({ kind: 'metadata' });
    expect(entryEffect('etc/passwd')).toEqual({ kind: 'write', path: 'etc/passwd' });
  });

  it('finds the first later layer that hides a file, and how', () => {
    const o = new LayerOverlay();
    const rec = (layer: number, name: string, dir = false) => o.record(layer, entryEffect(name), dir);
    rec(0, 'app/a.env');
    rec(0, 'app/b.env');
    rec(0, 'app/sub/c.env');
    rec(0, 'etc/conf');
    rec(1, 'app/a.env'); // rewritten
    rec(2, 'app/.wh.sub'); // a directory deleted: its files go too
    rec(3, 'etc/.wh..wh..opq');
    rec(3, 'etc/conf'); // the opaque layer writes it again: its own copy is visible
    rec(4, 'app/.wh.b.env');
    rec(4, 'app', true); // a directory entry hides nothing
    expect(o.fate(0, 'app/a.env')).toEqual({ visible: false, deletedBy: 1, hiddenBy: 'overwritten' });
    expect(o.fate(1, 'app/a.env')).toEqual({ visible: true });
    expect(o.fate(0, 'app/sub/c.env')).toEqual({ visible: false, deletedBy: 2, hiddenBy: 'whiteout' });
    expect(o.fate(0, 'etc/conf')).toEqual({ visible: false, deletedBy: 3, hiddenBy: 'overwritten' });
    expect(o.fate(3, 'etc/conf')).toEqual({ visible: true });
    expect(o.fate(0, 'app/b.env')).toEqual({ visible: false, deletedBy: 4, hiddenBy: 'whiteout' });
    // A whiteout hides only what lies below it.
    expect(o.fate(4, 'app/b.env')).toEqual({ visible: true });
  });

  it('gives the same fates whatever order the layers stream in (two are walked at once)', () => {
    const entries: [number, string][] = [
      [0, 'app/a.env'], [3, 'app/a.env'], [1, 'app/a.env'], [2, 'app/.wh.a.env'], [0, 'lib/k.pem'], [5, 'lib/.wh.k.pem'], [2, 'lib/.wh.k.pem'],
    ];
    const inOrder = new LayerOverlay();
    const shuffled = new LayerOverlay();
    for (const [layer, name] of [...entries].sort((a, b) => a[0] - b[0])) inOrder.record(layer, entryEffect(name), false);
    // Layer 3 before layer 1, layer 5 before layer 2: the lowest later layer must still win.
    for (const [layer, name] of entries) shuffled.record(layer, entryEffect(name), false);
    for (const [layer, file] of [[0, 'app/a.env'], [1, 'app/a.env'], [2, 'app/a.env'], [0, 'lib/k.pem']] as const) {
      expect(shuffled.fate(layer, file)).toEqual(inOrder.fate(layer, file));
    }
    expect(shuffled.fate(0, 'app/a.env')).toEqual({ visible: false, deletedBy: 1, hiddenBy: 'overwritten' });
    expect(shuffled.fate(0, 'lib/k.pem')).toEqual({ visible: false, deletedBy: 2, hiddenBy: 'whiteout' });
  });
});

describe('image config', () => {
  const config = {
    config: { Env: ['PATH=/bin', 'TOKEN=abc'], Labels: { a: 'b' }, Cmd: ['node', 'x.js'], Entrypoint: null },
    history: [
      { created_by: 'ADD rootfs' },
      { created_by: 'ENV TOKEN=abc', empty_layer: true },
      { created_by: 'RUN make' },
    ],
  };

  it('aligns history with layers, skipping empty_layer entries', () => {
    expect(layerSteps(config, 2)).toEqual(['ADD rootfs', 'RUN make']);
    // A history shorter than the layers names no step rather than a wrong one.
    expect(layerSteps({ history: [{ created_by: 'ADD rootfs' }] }, 2)).toEqual(['ADD rootfs', undefined]);
  });

  it('turns Env, Labels, Cmd and every created_by into chunks, one entry per line', () => {
    const chunks = configChunks(config);
    expect(chunks.map((c) => [c.path, c.bytes.toString(), c.layer])).toEqual([
      ['<config>/Env', 'PATH=/bin\nTOKEN=abc\n', undefined],
      ['<config>/Labels', 'a=b\n', undefined],
      ['<config>/Cmd', 'node x.js\n', undefined],
      ['<config>/history[0].created_by', 'ADD rootfs\n', 0],
      ['<config>/history[1].created_by', 'ENV TOKEN=abc\n', undefined],
      ['<config>/history[2].created_by', 'RUN make\n', 1],
    ]);
  });
});

describe('tar index (outer archives read by offset)', () => {
  it('lists members with their data offsets, long names included (PAX), without reading the data', async () => {
    const long = `blobs/sha256/${'d'.repeat(64)}/${'x'.repeat(120)}.json`;
    const tar = await tarBuffer([
      { name: 'manifest.json', content: '[]' },
      { name: long, content: 'LONG' },
      { name: 'dir/', type: 'directory' },
      { name: 'dir/link', type: 'symlink', linkname: '../manifest.json' },
    ]);
    const file = path.join(scratch, 'index.tar');
    writeFileSync(file, tar);
    const members = await indexTar(file);
    const m = members.get(long)!;
    expect(tar.subarray(m.offset, m.offset + m.size).toString()).toBe('LONG');
    expect(members.get('manifest.json')).toMatchObject({ size: 2, type: 'file' });
    expect(members.get('dir/link')).toMatchObject({ type: 'symlink', linkname: '../manifest.json' });
  });

  it('refuses a file that is not a tar, and a truncated one', async () => {
    const junk = path.join(scratch, 'junk.tar');
    writeFileSync(junk, Buffer.alloc(2048, 0x41));
    await expect(indexTar(junk)).rejects.toThrow(/is not a tar archive/);
    const tar = await tarBuffer([{ name: 'big', content: 'x'.repeat(5000) }]);
    const cut = path.join(scratch, 'cut.tar');
    writeFileSync(cut, tar.subarray(0, 2048));
    await expect(indexTar(cut)).rejects.toThrow(/truncated tar archive/);
  });
});

describe('layer decompression', () => {
  const plain = Buffer.from('hello layer\n'.repeat(5000));
  async function run(blob: Buffer, declared: 'gzip' | 'zstd' | 'none' | null): Promise<Buffer> {
    const out: Buffer[] = [];
    const d = new LayerDecompressor(declared);
    const chunks = [];
    for (let i = 0; i < blob.length; i += 1000) chunks.push(blob.subarray(i, i + 1000));
    for await (const c of Readable.from(chunks).pipe(d)) out.push(c as Buffer);
    return Buffer.concat(out);
  }

  it('sniffs gzip and zstd whatever the media type says', async () => {
    expect(await run(gzipSync(plain), 'none')).toEqual(plain);
    expect(await run(zstdSync(plain), null)).toEqual(plain);
    expect(await run(plain, 'gzip')).toEqual(plain);
  });

  it('fails on a truncated zstd frame', async () => {
    const z = zstdSync(plain);
    await expect(run(z.subarray(0, z.length - 10), 'zstd')).rejects.toThrow(/zstd data is corrupt or truncated/);
  });
});

describe('zstd layers: every decoder (Node zstd, the zstd command, fzstd) gives the same bytes and the same errors', () => {
  const engines = availableZstdEngines();
  // Text that does not compress to nothing: several 128 KiB blocks, several output chunks.
  const text = Buffer.from(Array.from({ length: 40000 }, (_, i) => `line ${i} ${(i * 2654435761) % 1000003}\n`).join(''));
  const frame = zstdSync(text);
  /** A skippable frame (magic 0x184D2A5?), as zstd:chunked layers carry. */
  const skippable = Buffer.concat([Buffer.from([0x5e, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('skip!')]);
  const small = Buffer.from('hello layer\n'.repeat(5000));
  let zerosBlob: Buffer | null = null;
  /** 64 MiB of zeros in a few KiB of zstd. */
  const zeros = () => (zerosBlob ??= zstdSync(Buffer.alloc(64 * 1024 * 1024)));

  async function decode(blob: Buffer, zstd: ZstdEngine, piece = 1000): Promise<Buffer> {
    const out: Buffer[] = [];
    const d = new LayerDecompressor('zstd', { zstd });
    const chunks = [];
    for (let i = 0; i < blob.length; i += piece) chunks.push(blob.subarray(i, i + piece));
    for await (const c of Readable.from(chunks).pipe(d)) out.push(c as Buffer);
    expect(d.engine).toBe(blob.length ? zstd : null);
    return Buffer.concat(out);
  }

  it('has the zstd command here (and Node zstd where Node has it)', () => {
    expect(engines).toContain('cli');
    expect(engines).toContain('js');
  });

  it.each(engines)('%s: decodes one frame, many frames and skippable frames, in pieces of any size', async (zstd) => {
    sameBytes(await decode(frame, zstd), text);
    sameBytes(await decode(zstdSync(small), zstd, 1), small);
    const chunked = Buffer.concat([frame, skippable, zstdSync(small), skippable]);
    sameBytes(await decode(chunked, zstd, 777), Buffer.concat([text, small]));
    expect(await decode(Buffer.alloc(0), zstd)).toEqual(Buffer.alloc(0));
  });

  it.each(engines)('%s: a frame cut short, cut in its header, or followed by garbage is corrupt, with the reason', async (zstd) => {
    await expect(decode(frame.subarray(0, frame.length - 10), zstd)).rejects.toThrow(/^zstd data is corrupt or truncated: \S/);
    await expect(decode(frame.subarray(0, 6), zstd)).rejects.toThrow(/^zstd data is corrupt or truncated: \S/);
    await expect(decode(Buffer.concat([frame, Buffer.from('garbage!garbage!')]), zstd)).rejects.toThrow(/^zstd data is corrupt or truncated: \S/);
  });

  it.each(engines)('%s: a frame whose header asks for more than 128 MiB of window is refused before anything is allocated', async (zstd) => {
    const block = [(5 << 3) | 1, 0, 0, ...Buffer.from('hello')];
    // A 1 GiB window (exponent 20); a one-segment frame of 4 GiB content (an 8-byte size field).
    const window = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 20 << 3, ...block]);
    const segment = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 1, 0, 0, 0, ...block]);
    const before = process.memoryUsage().arrayBuffers;
    await expect(decode(window, zstd)).rejects.toThrow(/^zstd data is corrupt or truncated: a frame needs a 1073741824-byte window, over the 134217728 bytes allowed$/);
    await expect(decode(segment, zstd)).rejects.toThrow(/^zstd data is corrupt or truncated: a frame needs a 4294967296-byte window/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    // Up to the limit is fine: a 128 MiB window (exponent 17), five bytes of content.
    sameBytes(await decode(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 17 << 3, ...block]), zstd), Buffer.from('hello'));
  });

  it.each(engines.filter((e) => e !== 'js'))('%s: a flipped byte is caught (fzstd does not check frame checksums: the layer digest does)', async (zstd) => {
    const bad = Buffer.from(frame);
    bad[Math.floor(bad.length / 2)]! ^= 0x55;
    await expect(decode(bad, zstd)).rejects.toThrow(/^zstd data is corrupt or truncated: .*(checksum|corrupt)/i);
  });

  it.each(engines.filter((e) => e !== 'js'))('%s: output waits for its reader (64 MiB of zeros from a few KiB are not buffered)', async (zstd) => {
    const d = new LayerDecompressor('zstd', { zstd });
    Readable.from([zeros()]).pipe(d);
    await new Promise((r) => setTimeout(r, 300));
    // This stream's buffer and one decoder chunk over it at most.
    expect(d.readableLength).toBeLessThanOrEqual(READY_BYTES + CHUNK);
    let n = 0;
    for await (const c of d) n += (c as Buffer).length;
    expect(n).toBe(64 * 1024 * 1024);
  });

  it('the zstd command is ended when the reader stops early, and is gone after the end', async () => {
    const d = new LayerDecompressor('zstd', { zstd: 'cli' });
    Readable.from([zeros()]).pipe(d);
    await new Promise<void>((resolve) => d.once('readable', () => resolve()));
    const pids = liveZstdChildren();
    expect(pids).toHaveLength(1);
    d.destroy();
    await until(() => !alive(pids[0]!) && liveZstdChildren().length === 0);
    sameBytes(await decode(frame, 'cli'), text);
    expect(liveZstdChildren()).toEqual([]);
  });

  it('ZstdFrames: finds frame ends, steps over skippable frames, and says when the data ends inside one', () => {
    const frames = new ZstdFrames();
    const kinds: string[] = [];
    let bytes = 0;
    const blob = Buffer.concat([frame, skippable, frame]);
    for (let i = 0; i < blob.length; i += 100) frames.feed(blob.subarray(i, i + 100), (e) => (e.kind === 'data' ? (bytes += e.bytes.length) : kinds.push(e.kind)));
    expect(kinds).toEqual(['start', 'end', 'start', 'end']);
    expect(bytes).toBe(2 * frame.length);
    expect(frames.missing).toBeNull();
    const cut = new ZstdFrames();
    cut.feed(frame.subarray(0, frame.length - 1), () => {});
    expect(cut.missing).toMatch(/ends inside a frame/);
    expect(() => new ZstdFrames().feed(Buffer.from('not zstd'), () => {})).toThrow(/not a zstd frame at byte 0/);
  });
});

/** toEqual compares Buffers byte by byte, slowly: this says only whether they are the same. */
function sameBytes(a: Buffer, b: Buffer): void {
  expect(a.length).toBe(b.length);
  expect(a.equals(b)).toBe(true);
}

describe('registry authentication', () => {
  it('parses WWW-Authenticate challenges as Docker Hub and GHCR send them', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' },
    });
    expect(parseChallenge('Basic realm="basic-realm"')).toEqual({ scheme: 'basic', params: { realm: 'basic-realm' } });
    expect(parseChallenge(null)).toBeNull();
  });

  it('reads credentials from $DOCKER_CONFIG/config.json (auth and username/password), Docker Hub under its v1 key', () => {
    const dir = mkdtempSync(path.join(scratch, 'docker-'));
    const auth = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64');
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: auth('hubuser', 'hub:pass') },
          'registry.example.com': { username: 'alice', password: 'pw' },
          'other.example.com': { identitytoken: 'x' },
        },
        credHelpers: { 'helper.example.com': 'secretscan-test-missing' },
      }),
    );
    const env = { DOCKER_CONFIG: dir };
    expect(lookupCredentials('docker.io', env)).toEqual({ credentials: { username: 'hubuser', password: 'hub:pass', from: path.join(dir, 'config.json') } });
    expect(lookupCredentials('registry.example.com', env)).toMatchObject({ credentials: { username: 'alice', password: 'pw' } });
    expect(lookupCredentials('nowhere.example.com', env)).toEqual({ credentials: null });
    expect(lookupCredentials('other.example.com', env)).toMatchObject({ credentials: null, note: expect.stringMatching(/identity token/) });
    expect(lookupCredentials('helper.example.com', env)).toMatchObject({ credentials: null, note: expect.stringMatching(/docker-credential-secretscan-test-missing, which could not be run/) });
  });
});

describe('walking a layer', () => {
  const limits = { maxFileSize: 1024 * 1024, maxDepth: 2, maxZipSize: 1024 * 1024, maxExpanded: 8 * 1024 * 1024 };
  const collect = () => {
    const files: string[] = [];
    const skipped: string[] = [];
    const sink = {
      file: async (p: string, _outer: string, bytes: Buffer) => void files.push(`${p} ${bytes.length}`),
      skip: (p: string, reason: string) => void skipped.push(`${p} ${reason}`),
    };
    return { files, skipped, sink };
  };

  it('reads each file whole, binary and too-large ones reported, in chunks of any size', async () => {
    const tar = await tarBuffer([
      { name: 'a.txt', content: 'a'.repeat(100_000) },
      { name: 'b.bin', content: `\0${'b'.repeat(9000)}` },
      { name: 'big.txt', content: 'c'.repeat(1024 * 1024 + 1) },
      { name: 'd.txt', content: 'd' },
    ]);
    for (const size of [1, 777, 65536, tar.length]) {
      const { files, skipped, sink } = collect();
      const chunks = [];
      for (let i = 0; i < tar.length; i += size) chunks.push(tar.subarray(i, i + size));
      await walkTar(Readable.from(chunks), '', null, 0, limits, sink);
      expect(files).toEqual(['/a.txt 100000', '/d.txt 1']);
      expect(skipped).toEqual(['/b.bin binary', '/big.txt too-large']);
    }
  });

  it('opens a .gz file held whole (small) as it streams one (large): same files, same reasons, same details', async () => {
    // Base64 text: ~1.3 MB packed, over the 1 MiB up to which a .gz is held and inflated in one call.
    const text = (n: number) => Buffer.from(randomBytes(n).toString('base64').slice(0, n).replace(/(.{76})./g, '$1\n'));
    const big = text(1_800_000);
    expect(gzipSync(big).length).toBeGreaterThan(1024 * 1024);
    const binary = Buffer.concat([Buffer.from([0]), text(20_000)]);
    const cases = (stem: string, content: Buffer) => [
      { name: `${stem}.txt.gz`, content: gzipSync(content) },
      { name: `${stem}-cut.gz`, content: gzipSync(content).subarray(0, 600) },
    ];
    const tar = await tarBuffer([
      ...cases('big', big),
      { name: 'small.txt.gz', content: gzipSync(big.subarray(0, 50_000)) },
      { name: 'over.gz', content: gzipSync(Buffer.alloc(2_100_000, 'x')) },
      { name: 'blob.gz', content: gzipSync(binary) },
      { name: 'garbage.gz', content: Buffer.from('not gzip at all') },
      { name: 'empty.gz', content: Buffer.alloc(0) },
      { name: 'inner.tar.gz.gz', content: gzipSync(Buffer.from('plain')) },
    ]);
    const files: string[] = [];
    const skipped: string[] = [];
    const sink = {
      file: async (p: string, outer: string, bytes: Buffer) => void files.push(`${p} ${outer} ${bytes.length} ${bytes.equals(big.subarray(0, bytes.length))}`),
      skip: (p: string, reason: string, detail?: string) => void skipped.push(`${p} ${reason} ${detail ?? ''}`),
    };
    await walkTar(Readable.from([tar]), '', null, 0, { ...limits, maxFileSize: 2 * 1024 * 1024 }, sink);
    expect(files).toEqual(['/big.txt.gz!/big.txt /big.txt.gz 1800000 true', '/small.txt.gz!/small.txt /small.txt.gz 50000 true']);
    // The cut and broken ones, small or large, say what zlib said; the inflated file over the limit
    // has its size counted to the end, as a streamed one has.
    expect(skipped).toEqual([
      '/big-cut.gz unreadable not a readable gz archive: unexpected end of file',
      '/over.gz!/over too-large 2100000 bytes > limit 2097152',
      '/blob.gz binary 1 binary file inside, not scanned',
      '/garbage.gz unreadable not a readable gz archive: incorrect header check',
      '/empty.gz unreadable not a readable gz archive: unexpected end of file',
      // Not held: what it holds is an archive to open, which goes the streaming way.
      '/inner.tar.gz.gz!/inner.tar.gz unreadable not a readable tar.gz archive: incorrect header check',
    ]);
  });

  it('holds a .gz file only when small, of one plain file, and under a file size limit of at most 64 MiB', () => {
    expect(heldGzip('/usr/share/man/man1/ls.1.gz', 4000, 0, limits)).toBe(true);
    expect(heldGzip('/notes.GZ', 1024 * 1024, 0, limits)).toBe(true);
    expect(heldGzip('/notes.gz', 1024 * 1024 + 1, 0, limits)).toBe(false);
    expect(heldGzip('/notes.gz', -1, 0, limits)).toBe(false);
    // What it holds is an archive to open: streamed, as before.
    expect(heldGzip('/inner.tar.gz.gz', 4000, 0, limits)).toBe(false);
    // Archives are no longer opened at this depth.
    expect(heldGzip('/notes.gz', 4000, 2, limits)).toBe(false);
    expect(heldGzip('/notes.gz', 4000, 0, { ...limits, maxFileSize: 64 * 1024 * 1024 + 1 })).toBe(false);
    expect(heldGzip('/notes.gz', 4000, 0, { ...limits, maxFileSize: 0 })).toBe(false);
    expect(heldGzip('/notes.txt', 4000, 0, limits)).toBe(false);
  });

  it('a layer cut inside a held .gz file: the file is reported unreadable, and the walk fails', async () => {
    const tar = await tarBuffer([
      { name: 'a.txt', content: 'hi' },
      { name: 'z.gz', content: gzipSync(Buffer.from(randomBytes(150_000).toString('base64'))) },
    ]);
    const files: string[] = [];
    const skipped: string[] = [];
    const sink = {
      file: async (p: string) => void files.push(p),
      skip: (p: string, reason: string, detail?: string) => void skipped.push(`${p} ${reason} ${detail ?? ''}`),
    };
    await expect(walkTar(Readable.from([tar.subarray(0, 3536)]), '', null, 0, limits, sink)).rejects.toThrow();
    expect(files).toEqual(['/a.txt']);
    expect(skipped).toEqual([expect.stringMatching(/^\/z\.gz unreadable not a readable gz archive: \S/)]);
  });

  it('fails, without waiting forever, on a layer cut inside a file', async () => {
    const tar = await tarBuffer([{ name: 'first.txt', content: 'x'.repeat(3000) }, { name: 'second.txt', content: 'y'.repeat(50_000) }]);
    const { files, sink } = collect();
    await expect(walkTar(Readable.from([tar.subarray(0, 4096 + 512 + 20_000)]), '', null, 0, limits, sink)).rejects.toThrow();
    expect(files).toEqual(['/first.txt 3000']);
  });
});
