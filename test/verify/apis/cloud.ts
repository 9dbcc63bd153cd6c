// Verifier stand-ins for the cloud and hosting providers' rules (rules/cloudflare.yml … rules/scaleway.yml).
import { randomChars } from '../../support/fake-keys.js';
import { bearer, header, json, type FakeApi } from './fake-api.js';

const scalewayAccessKey = `SCW${randomChars('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 17)}`;

const cloudflareVerified = (status: string) =>
  json(200, { success: true, errors: [], messages: [], result: { id: 'f267e341f3dd4697bd3b9f71dd96247f', status, not_before: '2018-07-01T05:20:00Z' } });

export const CLOUD_APIS: FakeApi[] = [
  {
    // https://developers.cloudflare.com/fundamentals/api/troubleshooting: "status": "active" for a working token
    rule: 'cloudflare-api-token', method: 'GET', path: '/client/v4/user/tokens/verify', secretOf: bearer,
    live: cloudflareVerified('active'),
    // An account-owned token is refused here too, so a refusal cannot say revoked.
    revoked: json(401, { success: false, errors: [{ code: 1000, message: 'Invalid API Token' }], messages: [], result: null }),
    refusedAs: 'unknown',
    identity: 'token f267e341f3dd4697bd3b9f71dd96247f, status active',
  },
  {
    // A token Cloudflare still knows but that was disabled (or has expired) is revoked.
    rule: 'cloudflare-legacy-api-token', method: 'GET', path: '/client/v4/user/tokens/verify', secretOf: bearer,
    live: cloudflareVerified('active'),
    revoked: cloudflareVerified('disabled'),
    identity: 'token f267e341f3dd4697bd3b9f71dd96247f, status active',
  },
  {
    // https://docs.digitalocean.com/reference/dots/reference/account/account-get/
    rule: 'digitalocean-personal-access-token', method: 'GET', path: '/v2/account', secretOf: bearer,
    live: json(200, { account: { droplet_limit: 25, email: 'sammy@fake.test', uuid: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef', status: 'active', team: { uuid: '5df3e300', name: 'Fake Team' } } }),
    revoked: json(401, { id: 'unauthorized', message: 'Unable to authenticate you' }),
    identity: 'account sammy@fake.test, team Fake Team, status active',
  },
  {
    rule: 'digitalocean-oauth-token', method: 'GET', path: '/v2/account', secretOf: bearer,
    live: json(200, { account: { email: 'oauth@fake.test', status: 'active' } }),
    revoked: json(401, { id: 'unauthorized', message: 'Unable to authenticate you' }),
    identity: 'account oauth@fake.test, status active',
  },
  {
    // https://devcenter.heroku.com/platform-api-reference (Account Info); the v3 Accept header is required
    rule: 'heroku-api-key-prefixed', method: 'GET', path: '/account',
    secretOf: (r) => (r.headers.accept === 'application/vnd.heroku+json; version=3' ? bearer(r) : undefined),
    live: json(200, { id: '01234567-89ab-cdef-0123-456789abcdef', email: 'deploy@fake.test', verified: true }),
    revoked: json(401, { id: 'unauthorized', message: 'Invalid credentials provided.' }),
    identity: 'account deploy@fake.test',
  },
  {
    rule: 'heroku-netrc-token', method: 'GET', path: '/account', secretOf: bearer,
    live: json(200, { email: 'cli@fake.test' }),
    revoked: json(401, { id: 'unauthorized', message: 'Invalid credentials provided.' }),
    identity: 'account cli@fake.test',
  },
  {
    // https://www.scaleway.com/en/developers/api/iam/api-keys (Get an API key), X-Auth-Token
    rule: 'scaleway-secret-key', method: 'GET', path: `/iam/v1alpha1/api-keys/${scalewayAccessKey}`, partner: scalewayAccessKey,
    secretOf: header('x-auth-token'),
    live: json(200, { access_key: scalewayAccessKey, secret_key: null, user_id: '6a3f7c1e-0000-4000-8000-fa1ce0000002', description: 'ci' }),
    revoked: json(403, { message: 'authentication is denied', method: 'api_key', reason: 'not_found', type: 'denied_authentication' }),
    identity: 'user 6a3f7c1e-0000-4000-8000-fa1ce0000002',
  },
  {
    // A valid key whose bearer may not read IAM: permission denied, yet the key authenticated.
    rule: 'scaleway-secret-key', method: 'GET', path: `/iam/v1alpha1/api-keys/${scalewayAccessKey}`, partner: scalewayAccessKey,
    secretOf: header('x-auth-token'),
    live: json(403, { message: 'insufficient permissions', type: 'permissions_denied', details: [{ resource: 'api_key', action: 'read' }] }),
    revoked: json(403, { message: 'authentication is denied', method: 'api_key', reason: 'expired', type: 'denied_authentication' }),
  },
];
