import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSpans } from '../../src/detect/decode.js';
import { Detector } from '../../src/detect/detector.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import { githubToken, stripeSecretKey } from '../support/fake-keys.js';

const both = { base64: true, percent: true };

describe('decodeSpans: base64', () => {
  it('decodes a base64 span that reads as text, with its byte offset and length', () => {
    const encoded = Buffer.from('user=deploy\npassword=hunter2-but-longer\n').toString('base64');
    const buf = Buffer.from(`config: ${encoded}\n`);
    const spans = decodeSpans(buf, { base64: true, percent: false });
    expect(spans).toEqual([
      { offset: 'config: '.length, length: encoded.length, encoding: 'base64', bytes: Buffer.from('user=deploy\npassword=hunter2-but-longer\n') },
    ]);
  });

  it('decodes unpadded base64', () => {
    const text = `token=${githubToken()}\n`;
    const unpadded = Buffer.from(text).toString('base64').replace(/=+$/, '');
    const [span] = decodeSpans(Buffer.from(`"${unpadded}"`), { base64: true, percent: false });
    expect(span?.bytes.toString()).toBe(text);
  });

  it('decodes a base64url span whole, even when a - or _ comes late in it', () => {
    // '???' encodes to 'Pz8_' in base64url; aligned to 3 bytes it lands well past the 24th character.
    let prefix = '{"service":"payments-worker","note":"';
    while (prefix.length % 3) prefix += ' ';
    const doc = `${prefix}???","token":"${githubToken()}"}`;
    const encoded = Buffer.from(doc).toString('base64url');
    expect(encoded.indexOf('_')).toBeGreaterThanOrEqual(24);
    const spans = decodeSpans(Buffer.from(`payload: ${encoded}\n`), { base64: true, percent: false });
    expect(spans.map((s) => s.bytes.toString())).toContain(doc);
  });

  it('drops spans that decode to binary, such as hashes and images', () => {
    const hash = randomBytes(48).toString('base64');
    expect(decodeSpans(Buffer.from(`integrity: sha512-${hash}`), both)).toEqual([]);
  });

  it('ignores runs shorter than 24 characters', () => {
    const short = Buffer.from('short text!').toString('base64');
    expect(short.length).toBeLessThan(24);
    expect(decodeSpans(Buffer.from(`x: ${short}`), both)).toEqual([]);
  });

  it('looks only for the encodings it is asked for', () => {
    const encoded = Buffer.from('a sentence long enough to be a span').toString('base64');
    expect(decodeSpans(Buffer.from(encoded), { base64: false, percent: true })).toEqual([]);
  });
});

describe('decodeSpans: percent-encoding', () => {
  it('decodes a URL holding escapes, as one span', () => {
    const url = 'https://hooks.internal/cb?next=%2Fhome%3Ftab%3D1&user=ann';
    const buf = Buffer.from(`<a href="${url}">`);
    expect(decodeSpans(buf, both)).toEqual([
      { offset: buf.indexOf(url), length: url.length, encoding: 'percent', bytes: Buffer.from(decodeURIComponent(url)) },
    ]);
  });

  it('leaves text without escapes alone', () => {
    expect(decodeSpans(Buffer.from('https://hooks.internal/cb?user=ann 100%'), { base64: false, percent: true })).toEqual([]);
  });
});

describe('Detector: keys hidden by encodings', () => {
  const detector = new Detector({ rules: loadRulesDir(), placeholders: loadPlaceholderPatterns() });

  it('finds a key in an HTTP basic-auth header (Stripe takes the key as the user name)', () => {
    const key = stripeSecretKey();
    const header = `Authorization: Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    expect(detector.scan(Buffer.from(header)).map((m) => [m.secret, m.encoding])).toEqual([[key, 'base64']]);
  });

  it('finds a key in a base64url-encoded JSON document', () => {
    const key = githubToken();
    let prefix = '{"service":"payments-worker","note":"';
    while (prefix.length % 3) prefix += ' ';
    const encoded = Buffer.from(`${prefix}???","token":"${key}"}`).toString('base64url');
    expect(detector.scan(Buffer.from(`payload: ${encoded}\n`)).map((m) => [m.secret, m.encoding])).toEqual([[key, 'base64']]);
  });

  it('finds a whole key base64-encoded and wrapped at 76 columns, as the base64 tool writes it', () => {
    const key = stripeSecretKey();
    const wrapped = Buffer.from(key).toString('base64').match(/.{1,76}/g)!;
    expect(wrapped.length).toBeGreaterThan(1);
    const text = `-----BEGIN STRIPE KEY-----\n${wrapped.join('\n')}\n-----END STRIPE KEY-----\n`;
    expect(detector.scan(Buffer.from(text)).map((m) => m.secret)).toContain(key);
  });

  it('finds a percent-encoded key even when the URL also holds a stray % sign', () => {
    const key = stripeSecretKey();
    const url = `https://shop.internal/checkout?api_key=${key.replace(/_/g, '%5F')}&discount=50%`;
    expect(detector.scan(Buffer.from(`curl "${url}"`)).map((m) => [m.secret, m.encoding])).toEqual([[key, 'percent']]);
  });
});
