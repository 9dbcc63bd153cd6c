import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardedLookup, isForbiddenAddress } from '../../src/net/address-guard.js';
import { httpSend, MAX_BODY, sendWithRetry, type HttpRequest } from '../../src/net/http.js';
import { FakeProvider, type Answer } from '../revoke/fake-provider.js';

describe('SSRF guard: which addresses a verification may reach', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '64:ff9b::a00:1', '[::1]', 'not-an-address',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '140.82.112.6', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it('refuses a host name that resolves to loopback (the lookup the socket uses)', async () => {
    const err = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (e) => resolve(e)));
    expect(err?.message).toMatch(/refused to connect to localhost \((127\.0\.0\.1|::1)\)/);
  });
});

describe('httpSend', () => {
  let fake: FakeProvider;
  let answer: (n: number) => Answer;
  beforeEach(async () => {
    answer = () => ({ status: 200, body: '{"ok":true}' });
    fake = await new FakeProvider((_r, n) => answer(n)).start();
  });
  afterEach(() => fake.stop());

  const get = (url: string, userEndpoint?: boolean): HttpRequest => ({ method: 'GET', url: new URL(url), headers: {}, userEndpoint });

  it('refuses plain http to a provider endpoint, and sends nothing', async () => {
    await expect(httpSend(get(fake.url('/v1/account')))).rejects.toThrow(/only https/);
    expect(fake.received).toHaveLength(0);
  });

  it('refuses https to a loopback address or a name that resolves to one', async () => {
    await expect(httpSend(get('https://127.0.0.1:1/v1/account'))).rejects.toThrow(/refused to connect to 127\.0\.0\.1/);
    await expect(httpSend(get('https://[::ffff:127.0.0.1]:1/'))).rejects.toThrow(/refused to connect/);
    await expect(httpSend(get('https://localhost:1/'))).rejects.toThrow(/refused to connect to localhost/);
  });

  it('allows loopback and http for an endpoint the user set in config', async () => {
    const response = await httpSend(get(fake.url('/v1/account'), true));
    expect(response).toMatchObject({ status: 200, body: '{"ok":true}' });
  });

  it('does not follow redirects', async () => {
    answer = () => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    const response = await httpSend(get(fake.url('/'), true));
    expect(response.status).toBe(302);
    expect(fake.received).toHaveLength(1);
  });

  it('gives up on an answer over the size cap', async () => {
    answer = () => ({ status: 200, body: 'x'.repeat(MAX_BODY + 10) });
    await expect(httpSend(get(fake.url('/'), true))).rejects.toThrow(/over \d+ bytes/);
  });

  it('waits out a 429 as long as Retry-After says, then gets the answer', async () => {
    answer = (n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200, body: '{}' });
    const started = Date.now();
    const response = await sendWithRetry(httpSend, get(fake.url('/'), true));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.received).toHaveLength(2);
  });

  it('tries a 5xx three times with backoff, then returns the last answer', async () => {
    answer = () => ({ status: 503 });
    const response = await sendWithRetry(httpSend, get(fake.url('/'), true), { attempts: 3, baseDelayMs: 20, maxWaitSeconds: 10 });
    expect(response.status).toBe(503);
    expect(fake.received).toHaveLength(3);
  });

  it('does not sit out a Retry-After longer than the limit', async () => {
    answer = () => ({ status: 429, headers: { 'retry-after': '3600' } });
    const response = await sendWithRetry(httpSend, get(fake.url('/'), true));
    expect(response.status).toBe(429);
    expect(fake.received).toHaveLength(1);
  });
});
