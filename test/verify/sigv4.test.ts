import { describe, expect, it } from 'vitest';
import { amzDate, canonicalRequest, signRequest, signingKey, stringToSign, uriEncode } from '../../src/verify/sigv4.js';

/**
 * Vectors published by AWS: the IAM ListUsers walk-through of "Create a signed AWS API request"
 * and cases of the Signature Version 4 test suite (get-vanilla, get-vanilla-query-order-key-case,
 * post-vanilla, post-x-www-form-urlencoded). Credentials are AWS's documented example ones.
 */
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date('2015-08-30T12:36:00Z');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('SigV4 against AWS documented examples', () => {
  it('formats x-amz-date in ISO 8601 basic form', () => {
    expect(amzDate(date)).toBe('20150830T123600Z');
  });

  it('signs the IAM ListUsers GET example exactly as documented', () => {
    const signed = signRequest(
      {
        method: 'GET',
        url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: '',
      },
      credentials,
      { region: 'us-east-1', service: 'iam', date },
    );
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/',
        'Action=ListUsers&Version=2010-05-08',
        'content-type:application/x-www-form-urlencoded; charset=utf-8',
        'host:iam.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'content-type;host;x-amz-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n' +
        'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
    expect(signed.signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    expect(signed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
    expect(signed.headers.authorization).toBe(signed.authorization);
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.headers.host).toBe('iam.amazonaws.com');
  });

  it('test suite get-vanilla: canonical request, string to sign, Authorization', () => {
    const signed = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '' }, credentials, suite());
    expect(signed.canonicalRequest).toBe(
      `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
        'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    expect(signed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('test suite get-vanilla-query-order-key-case: parameters sorted by name', () => {
    const signed = signRequest(
      { method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {}, body: '' },
      credentials,
      suite(),
    );
    expect(signed.canonicalRequest.split('\n')[2]).toBe('Param1=value1&Param2=value2');
    expect(signed.signature).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('test suite post-vanilla: the method is signed', () => {
    const signed = signRequest({ method: 'POST', url: 'https://example.amazonaws.com/', headers: {}, body: '' }, credentials, suite());
    expect(signed.signature).toBe('5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  });

  it('test suite post-x-www-form-urlencoded: a form body, as STS takes it', () => {
    const signed = signRequest(
      {
        method: 'POST',
        url: 'https://example.amazonaws.com/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'Param1=value1',
      },
      credentials,
      suite(),
    );
    expect(signed.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n' +
        'x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n' +
        '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
        '42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281',
    );
    expect(signed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    );
  });
});

describe('SigV4 building blocks', () => {
  it('derives the signing key from the date, region and service (a changed scope changes the key)', () => {
    const a = signingKey(credentials.secretAccessKey, { region: 'us-east-1', service: 'iam', date });
    expect(a).toHaveLength(32);
    expect(signingKey(credentials.secretAccessKey, { region: 'eu-west-1', service: 'iam', date }).equals(a)).toBe(false);
    expect(signingKey(credentials.secretAccessKey, { region: 'us-east-1', service: 'sts', date }).equals(a)).toBe(false);
  });

  it('encodes as RFC 3986 asks: unreserved kept, the rest as upper-case %XX of UTF-8', () => {
    expect(uriEncode('abcXYZ019-_.~')).toBe('abcXYZ019-_.~');
    expect(uriEncode("a b+c/*!'()")).toBe('a%20b%2Bc%2F%2A%21%27%28%29');
    expect(uriEncode('ሴ')).toBe('%E1%88%B4');
  });

  it('trims header values, collapses inner spaces and joins repeated names', () => {
    const creq = canonicalRequest('get', new URL('https://h.example/'), { Host: 'h.example', 'My-Header1': '  a   b  ' }, '');
    expect(creq.split('\n').slice(0, 5)).toEqual(['GET', '/', '', 'host:h.example', 'my-header1:a b']);
  });

  it('signs a session token as x-amz-security-token', () => {
    const signed = signRequest(
      { method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '' },
      { ...credentials, sessionToken: 'TOKEN' },
      suite(),
    );
    expect(signed.headers['x-amz-security-token']).toBe('TOKEN');
    expect(signed.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token,');
  });

  it('builds the string to sign from the hash of the canonical request', () => {
    expect(stringToSign('', suite()).split('\n')[3]).toBe(EMPTY_SHA256);
  });
});

function suite() {
  return { region: 'us-east-1', service: 'service', date };
}
