import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postThrough } from '../../src/net/http-post.js';
import { verifyAwsCredentials } from '../../src/verify/aws-sts.js';
import { signRequest } from '../../src/verify/sigv4.js';
import { awsAccessKeyId, BASE62, randomChars } from '../support/fake-keys.js';
import { FakeProvider, type Answer, type Received } from '../revoke/fake-provider.js';

// The fake STS is on loopback: an endpoint the user set in config, as far as the SSRF guard goes.
const httpPost = postThrough(true);
const accessKeyId = awsAccessKeyId();
const secretAccessKey = randomChars(BASE62 + '/+', 40);

const identityXml = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/ci-deploy</Arn>
    <UserId>AIDAEXAMPLEUSERID</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

const errorXml = (code: string) => `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>${code}</Code><Message>refused</Message></Error>
  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
</ErrorResponse>`;

/** What a real STS checks first: a SigV4 signature over what was actually sent, with our secret. */
function signatureHolds(r: Received, secret: string): boolean {
  const amz = r.headers['x-amz-date'] as string;
  const date = new Date(`${amz.slice(0, 4)}-${amz.slice(4, 6)}-${amz.slice(6, 8)}T${amz.slice(9, 11)}:${amz.slice(11, 13)}:${amz.slice(13, 15)}Z`);
  const expected = signRequest(
    { method: r.method, url: `http://${r.headers.host}${r.path}`, headers: { 'content-type': r.headers['content-type'] as string, 'x-amz-date': amz }, body: r.body },
    { accessKeyId, secretAccessKey: secret },
    { region: 'us-east-1', service: 'sts', date },
  );
  return expected.authorization === r.headers.authorization;
}

let sts: FakeProvider;
let answer: (r: Received, n: number) => Answer;

beforeEach(async () => {
  answer = (r) => (signatureHolds(r, secretAccessKey) ? { status: 200, body: identityXml } : { status: 403, body: errorXml('SignatureDoesNotMatch') });
  sts = await new FakeProvider((r, n) => answer(r, n)).start();
});
afterEach(() => sts.stop());

const verify = (secret = secretAccessKey) => verifyAwsCredentials({ accessKeyId, secretAccessKey: secret }, { endpoint: sts.url('/'), post: httpPost });

describe('AWS STS GetCallerIdentity verifier', () => {
  it('sends a signed form POST and reads the account and ARN of a live key', async () => {
    const result = await verify();
    expect(result).toMatchObject({ state: 'live', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ci-deploy' });
    const [r] = sts.received;
    expect(r!.method).toBe('POST');
    expect(r!.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(r!.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`),
    );
    expect(JSON.stringify(r!.headers)).not.toContain(secretAccessKey);
  });

  it('calls a key revoked when STS does not know it (InvalidClientTokenId)', async () => {
    answer = () => ({ status: 403, body: errorXml('InvalidClientTokenId') });
    expect(await verify()).toMatchObject({ state: 'revoked', detail: expect.stringContaining('InvalidClientTokenId') });
  });

  it('calls the pair invalid when the secret does not sign for the key id (SignatureDoesNotMatch)', async () => {
    const wrong = randomChars(BASE62, 40);
    expect(await verify(wrong)).toMatchObject({ state: 'revoked', detail: expect.stringContaining('SignatureDoesNotMatch') });
  });

  it('waits out a 429 with Retry-After, then verifies', async () => {
    const base = answer;
    answer = (r, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: '' } : base(r, n));
    const started = Date.now();
    expect(await verify()).toMatchObject({ state: 'live' });
    expect(sts.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('says unknown, never live or revoked, when STS keeps failing with 5xx', async () => {
    answer = () => ({ status: 500, body: errorXml('InternalFailure') });
    expect(await verify()).toMatchObject({ state: 'unknown', detail: expect.stringContaining('500') });
    expect(sts.received).toHaveLength(3);
  }, 15_000);

  it('says unknown when STS cannot be reached', async () => {
    const url = sts.url('/');
    await sts.stop();
    const result = await verifyAwsCredentials({ accessKeyId, secretAccessKey }, { endpoint: url, post: httpPost });
    expect(result.state).toBe('unknown');
    sts = await new FakeProvider(() => ({ status: 200 })).start(); // for afterEach
  });
});
