// Verifier stand-ins for the cloud and hosting providers' rules (rules/cloudflare.yml … rules/scaleway.yml).
import { randomChars } from '../../support/fake-keys.js';
import { basicWithUser, bearer, header, json, scheme, type FakeApi } from './fake-api.js';

const confluentKey = randomChars('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 16);
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
    // A token with custom scopes that leave out account:read: refused with 403, yet it authenticated.
    rule: 'digitalocean-personal-access-token', method: 'GET', path: '/v2/account', secretOf: bearer,
    live: json(403, { id: 'forbidden', message: 'You are not authorized to perform this operation' }),
    revoked: json(401, { id: 'unauthorized', message: 'Unable to authenticate you' }),
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
  {
    // https://docs.confluent.io/cloud/current/ccloud/api-keys-iam-v-2/ (basic auth: key as user, secret as password)
    rule: 'confluent-api-secret', method: 'GET', path: '/iam/v2/api-keys', partner: confluentKey,
    secretOf: basicWithUser(confluentKey),
    live: json(200, { api_version: 'iam/v2', kind: 'ApiKeyList', metadata: {}, data: [] }),
    // A cluster key is refused by the Cloud API as a revoked one is.
    revoked: json(401, { errors: [{ status: '401', detail: 'Unauthorized' }] }),
    refusedAs: 'unknown',
  },
  {
    // https://fly.io/docs/machines/api/working-with-machines-api/ (Bearer), GET /v1/apps?org_slug=
    // (the stand-in's URL keeps the path only, as an endpoint override does, so org_slug is not checked)
    rule: 'flyio-access-token', method: 'GET', path: '/v1/apps', secretOf: bearer,
    live: json(200, { total_apps: 1, apps: [{ name: 'fake-app', machine_count: 1 }] }),
    revoked: json(401, { error: 'unauthorized' }),
  },
  {
    // https://help.cloudsmith.io/v1.0/reference/authentication (X-Api-Key), GET /user/self/
    rule: 'cloudsmith-api-key', method: 'GET', path: '/user/self/', secretOf: header('x-api-key'),
    live: json(200, { authenticated: true, name: 'Fake Packager', slug: 'fake-packager', slug_perm: 'AbCdEf' }),
    revoked: json(401, { detail: 'Invalid API key.' }),
    refusedAs: 'unknown',
    identity: 'user fake-packager',
  },
  {
    // https://docs.honeycomb.io/api (GET /1/auth, X-Honeycomb-Team)
    rule: 'honeycomb-ingest-key', method: 'GET', path: '/1/auth', secretOf: header('x-honeycomb-team'),
    live: json(200, { id: 'FL_xMM5LapLC', type: 'ingest', api_key_access: { events: true }, environment: { name: 'Production', slug: 'production' }, team: { name: 'Fake Team', slug: 'fake-team' } }),
    revoked: json(401, { error: 'unknown API key - check your credentials' }),
    refusedAs: 'unknown',
    identity: 'team fake-team, environment production, type ingest',
  },
  {
    rule: 'honeycomb-api-key', method: 'GET', path: '/1/auth', secretOf: header('x-honeycomb-team'),
    live: json(200, { id: 'aBcD', type: 'configuration', environment: { name: '', slug: '' }, team: { name: 'Fake Team', slug: 'fake-team' } }),
    revoked: json(401, { error: 'unknown API key - check your credentials' }),
    refusedAs: 'unknown',
    identity: 'team fake-team, type configuration',
  },
  {
    // https://tailscale.com/kb/1101/api (Bearer access token), GET /api/v2/tailnet/-/devices
    rule: 'tailscale-key', method: 'GET', path: '/api/v2/tailnet/-/devices', secretOf: bearer,
    live: json(200, { devices: [] }),
    revoked: json(401, { message: 'API token invalid' }),
    refusedAs: 'unknown',
  },
  {
    // https://developer.cisco.com/docs/thousandeyes/authentication (v7: OAuth2 Bearer), GET /v7/account-groups
    rule: 'thousandeyes-api-token', method: 'GET', path: '/v7/account-groups', secretOf: bearer,
    live: json(200, { accountGroups: [{ accountGroupName: 'Fake NetOps', aid: '59', isCurrentAccountGroup: true, isDefaultAccountGroup: true }] }),
    revoked: json(401, { error: 'invalid_token', error_description: 'Invalid access token' }),
    refusedAs: 'unknown',
  },
  {
    // https://grafana.com/docs/grafana-cloud/developer-resources/api-reference/cloud-api/ (Bearer access policy token)
    rule: 'grafana-cloud-token', method: 'GET', path: '/api/v1/tokens', secretOf: bearer,
    live: json(403, { code: 'Forbidden', message: 'Token does not have the required scope: accesspolicies:read' }),
    revoked: json(401, { code: 'InvalidCredentials', message: 'Invalid authentication credentials' }),
  },
  {
    // https://elastic.co/docs/api/doc/cloud/authentication: Authorization: ApiKey …, GET /api/v1/deployments. A cluster's own
    // API key is refused here too, so a refusal is not proof.
    rule: 'elastic-api-key', method: 'GET', path: '/api/v1/deployments', secretOf: scheme('ApiKey'),
    live: json(200, { deployments: [{ id: 'f4ce0ff1ce00000000000000000000aa', name: 'fake-search', resources: {} }] }),
    revoked: json(401, { errors: [{ code: 'root.unauthenticated', message: 'The supplied authentication is invalid' }] }),
    refusedAs: 'unknown',
  },
  {
    // Aiven API authentication (Authorization: aivenv1 …, GET /v1/project); tokens may be limited to some IP addresses
    rule: 'aiven-token', method: 'GET', path: '/v1/project', secretOf: scheme('aivenv1'),
    live: json(200, { projects: [{ project_name: 'fake-data', default_cloud: 'google-europe-west1' }] }),
    revoked: json(403, { errors: [{ message: 'Invalid token', status: 403 }], message: 'Invalid token' }),
    refusedAs: 'unknown',
  },
  {
    // ZeroTier Central API v1 (Authorization: token …), GET /api/v1/network
    rule: 'zerotier-api-token', method: 'GET', path: '/api/v1/network', secretOf: scheme('token'),
    live: json(200, [{ id: '8056c2e21c000001', config: { name: 'fake-lan', private: true } }]),
    revoked: { status: 401, body: '' },
  },
];
