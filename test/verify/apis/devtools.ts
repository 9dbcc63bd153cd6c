// Verifier stand-ins for the cloud and developer-tool providers' rules (rules/buildkite.yml … rules/vultr.yml).
import { basicKeyAsUser, basicWithUser, bearer, header, json, scheme, type FakeApi } from './fake-api.js';

// CircleCI's refusal of a token it does not take, personal or legacy.
const circleciRefusal = json(401, { message: 'You must log in first.' });
const netlifyUser = json(200, { id: '5f0c0ffee', email: 'deploy@fake.test', full_name: 'Fake Deployer' });
const netlifyRefusal = json(401, { code: 401, message: 'Access Denied: Invalid token' });

export const DEVTOOLS_APIS: FakeApi[] = [
  {
    // https://docs.datadoghq.com/api/latest/authentication/validate-api-key/ — "If invalid, a 403 is returned."
    rule: 'datadog-api-key', method: 'GET', path: '/api/v1/validate', secretOf: header('dd-api-key'),
    live: json(200, { valid: true }),
    revoked: json(403, { errors: ['Forbidden'] }),
    refusedAs: 'unknown',
  },
  {
    // https://learning.postman.com/api-docs/api-reference/users/get-authenticated-user
    rule: 'postman-api-key', method: 'GET', path: '/me', secretOf: header('x-api-key'),
    live: json(200, { user: { id: 12345678, username: 'fake-tester', email: 'qa@fake.test', teamId: 0 } }),
    revoked: json(401, { error: { name: 'AuthenticationError', message: 'Invalid API Key. Every request requires a valid API Key to be sent.' } }),
    identity: 'user fake-tester',
  },
  {
    // https://circleci.com/docs/guides/toolkit/api-developers-guide (Circle-Token header, GET /me)
    rule: 'circleci-personal-api-token', method: 'GET', path: '/api/v2/me', secretOf: header('circle-token'),
    live: json(200, { id: 'a1b2c3d4-0000-4000-8000-fa1ce0000001', login: 'fake-builder', name: 'Fake Builder' }),
    revoked: circleciRefusal,
    identity: 'user fake-builder',
  },
  {
    // https://buildkite.com/docs/apis/rest-api/access-token — "Required scope: none"
    rule: 'buildkite-api-access-token', method: 'GET', path: '/v2/access-token', secretOf: bearer,
    live: json(200, { uuid: 'b63254c0-3271-4a98-8270-7cfbd6c2f14e', scopes: ['read_builds', 'read_pipelines'] }),
    revoked: json(401, { message: 'Authentication required. Please supply a valid API Access Token' }),
    identity: 'scopes read_builds, read_pipelines',
  },
  {
    // https://techdocs.akamai.com/linode-api/reference/get-profile (readable whatever the token's scopes)
    rule: 'linode-personal-access-token', method: 'GET', path: '/v4/profile', secretOf: bearer,
    live: json(200, { uid: 1234, username: 'fake-admin', email: 'admin@fake.test', restricted: false }),
    revoked: json(401, { errors: [{ reason: 'Invalid Token' }] }),
    identity: 'user fake-admin',
  },
  {
    // GET /v2/account; keys answer only from listed addresses, so a refusal is not proof of revocation
    rule: 'vultr-api-key', method: 'GET', path: '/v2/account', secretOf: bearer,
    live: json(200, { account: { name: 'Fake Hosting', email: 'ops@fake.test', acls: [], balance: 0, pending_charges: 0 } }),
    revoked: json(401, { error: 'Invalid API token.', status: 401 }),
    refusedAs: 'unknown',
    identity: 'account ops@fake.test',
  },
  {
    // GET /tokens/self, "Get the current token" (Fastly API client docs, Fastly-Key header)
    rule: 'fastly-api-token', method: 'GET', path: '/tokens/self', secretOf: header('fastly-key'),
    live: json(200, { id: '5cOrFakeTokenId', name: 'purge bot', scope: 'purge_all', user_id: 'x4FakeUser', services: [] }),
    revoked: json(401, { msg: 'Provided credentials are missing or invalid' }),
    identity: 'name purge bot, scope purge_all',
  },
  {
    // getCurrentUser: GET /api/v1/user (Netlify's OpenAPI document)
    rule: 'netlify-personal-access-token', method: 'GET', path: '/api/v1/user', secretOf: bearer,
    live: netlifyUser, revoked: netlifyRefusal, identity: 'user deploy@fake.test',
  },
  {
    rule: 'netlify-legacy-access-token', method: 'GET', path: '/api/v1/user', secretOf: bearer,
    live: netlifyUser, revoked: netlifyRefusal, identity: 'user deploy@fake.test',
  },
  {
    // https://vercel.com/docs/rest-api/user/get-the-user; a dead token is a 403 that says invalidToken
    rule: 'vercel-access-token', method: 'GET', path: '/v2/user', secretOf: bearer,
    live: json(200, { user: { id: 'usr_fake', email: 'web@fake.test', username: 'fake-web', name: 'Fake Web' } }),
    revoked: json(403, { error: { code: 'forbidden', message: 'Not authorized', invalidToken: true } }),
    identity: 'user fake-web',
  },
  {
    // GET /v1/owners, "List workspaces" that the key can reach
    rule: 'render-api-key', method: 'GET', path: '/v1/owners', secretOf: bearer,
    live: json(200, [{ owner: { id: 'tea-fake', name: 'Fake Team', email: 'ops@fake.test', type: 'team' }, cursor: 'c1' }]),
    revoked: json(401, { id: 'unauthorized', message: 'Authorization information is missing or invalid.' }),
  },
  {
    // GET /v3/me, information about the token in use (any token type)
    rule: 'doppler-token', method: 'GET', path: '/v3/me', secretOf: bearer,
    live: json(200, { workplace: { slug: 'fake-co', name: 'Fake Co' }, type: 'service', name: 'ci token', slug: 'ci-token', token_preview: 'dp.st.prd.abc…' }),
    revoked: json(401, { messages: ['Invalid Auth token'], success: false }),
    identity: 'name ci token, type service',
  },
  {
    // https://developer.hashicorp.com/terraform/cloud-docs/api-docs/account (team and organization
    // tokens answer with their synthetic "service user")
    rule: 'terraform-cloud-api-token', method: 'GET', path: '/api/v2/account/details', secretOf: bearer,
    live: json(200, { data: { id: 'user-FakeUser1', type: 'users', attributes: { username: 'fake-planner', email: 'tf@fake.test' } } }),
    revoked: json(401, { errors: [{ status: '401', title: 'unauthorized' }] }),
    identity: 'user fake-planner',
  },
  {
    // https://guides.rubygems.org/rubygems-org-api/ (GET /api/v1/gems.json, key as the Authorization header)
    rule: 'rubygems-api-key', method: 'GET', path: '/api/v1/gems.json', secretOf: header('authorization'),
    live: json(200, [{ name: 'fake_gem', downloads: 12, version: '0.1.0' }]),
    revoked: { status: 401, body: 'Access Denied. Please sign up for an account at https://rubygems.org' },
  },
  {
    // A valid key without the index_rubygems scope is refused with 403: still a working key.
    rule: 'rubygems-api-key', method: 'GET', path: '/api/v1/gems.json', secretOf: header('authorization'),
    live: { status: 403, body: 'This API key cannot perform the specified action on this gem.' },
    revoked: { status: 401, body: 'Access Denied. Please sign up for an account at https://rubygems.org' },
  },
  {
    // https://docs.sentry.io/api/auth/ (Bearer), GET /api/0/organizations/
    rule: 'sentry-user-token', method: 'GET', path: '/api/0/organizations/', secretOf: bearer,
    live: json(200, [{ id: '2', slug: 'fake-org', name: 'Fake Org' }]),
    revoked: json(401, { detail: 'Invalid token' }),
  },
  {
    rule: 'sentry-org-token', method: 'GET', path: '/api/0/organizations/', secretOf: bearer,
    live: json(403, { detail: 'You do not have permission to perform this action.' }),
    revoked: json(401, { detail: 'Invalid token' }),
  },
  {
    // https://docs.newrelic.com/docs/apis/rest-api-v2/get-started/introduction-new-relic-rest-api-v2/ (Api-Key header)
    rule: 'newrelic-user-api-key', method: 'GET', path: '/v2/applications.json', secretOf: header('api-key'),
    live: json(200, { applications: [] }),
    revoked: json(401, { error: { title: 'The API key provided is invalid' } }),
    refusedAs: 'unknown',
  },
  {
    // https://docs.sonarsource.com/sonarqube-cloud/advanced-setup/web-api (Bearer), api/authentication/validate
    rule: 'sonar-legacy-token', method: 'GET', path: '/api/authentication/validate', secretOf: bearer,
    live: json(200, { valid: true }),
    revoked: json(200, { valid: false }),
    refusedAs: 'unknown',
  },
  {
    // Prefect's CloudClient health check: GET /api/me/workspaces (Bearer); 401 or 403 is an unauthorized key
    rule: 'prefect-api-key', method: 'GET', path: '/api/me/workspaces', secretOf: bearer,
    live: json(200, [{ account_handle: 'fake-co', workspace_handle: 'prod' }]),
    revoked: json(401, { detail: 'Invalid authentication credentials' }),
  },
  {
    // https://docs.apify.com/api/v2/users-me-get.md (Bearer)
    rule: 'apify-api-token', method: 'GET', path: '/v2/users/me', secretOf: bearer,
    live: json(200, { data: { id: 'FakeUs3rId', username: 'fake-scraper', email: 'scrape@fake.test' } }),
    revoked: json(401, { error: { type: 'token-not-valid', message: 'Authentication token is not valid.' } }),
    identity: 'user fake-scraper',
  },
  {
    // Unprefixed CircleCI tokens may be project tokens, which API v2 refuses: a refusal is unknown.
    rule: 'circleci-legacy-api-token', method: 'GET', path: '/api/v2/me', secretOf: header('circle-token'),
    live: json(200, { id: 'a1b2c3d4-0000-4000-8000-fa1ce0000004', login: 'old-builder', name: 'Old Builder' }),
    revoked: circleciRefusal,
    refusedAs: 'unknown',
    identity: 'user old-builder',
  },
  {
    // https://developers.statuscake.com/guides/api/authentication (Bearer; 401 without valid authentication)
    rule: 'statuscake-api-key', method: 'GET', path: '/v1/uptime', secretOf: bearer,
    live: json(200, { data: [], metadata: { page: 1, per_page: 25, page_count: 0, total_count: 0 } }),
    revoked: json(401, { message: 'Unauthorised' }),
  },
  {
    // https://pipedream.com/docs/v1/api/auth (Bearer, GET /v1/users/me; a revoked key gets 401)
    rule: 'pipedream-api-key', method: 'GET', path: '/v1/users/me', secretOf: bearer,
    live: json(200, { data: { id: 'u_FakeUser', username: 'fake-flows', email: 'flows@fake.test' } }),
    revoked: json(401, { error: 'Unauthorized' }),
    identity: 'user fake-flows',
  },
  {
    // https://betterstack.com/docs/uptime/api/getting-started-with-uptime-api.md (Bearer)
    rule: 'betterstack-api-token', method: 'GET', path: '/api/v2/monitors', secretOf: bearer,
    live: json(200, { data: [], pagination: { first: null, last: null, prev: null, next: null } }),
    revoked: json(401, { errors: 'Invalid Team API Token' }),
    refusedAs: 'unknown',
  },
  {
    // https://packagecloud.io/docs/api: token as the basic-auth user, empty password; 401 for an invalid token
    rule: 'packagecloud-api-token', method: 'GET', path: '/api/v1/repos.json',
    secretOf: basicKeyAsUser,
    live: json(200, [{ name: 'fake-repo', fqname: 'fake-user/fake-repo', private: true }]),
    revoked: json(401, { error: 'Unauthenticated' }),
  },
  {
    rule: 'packagecloud-api-token-url', method: 'GET', path: '/api/v1/repos.json',
    secretOf: basicKeyAsUser,
    live: json(200, []),
    revoked: json(401, { error: 'Unauthenticated' }),
  },
  {
    // https://docs.jumpcloud.com/api/1.0/index.html (x-api-key); other regions and multi-tenant keys make a refusal unknown
    rule: 'jumpcloud-api-key', method: 'GET', path: '/api/systemusers', secretOf: header('x-api-key'),
    live: json(200, { totalCount: 1, results: [] }),
    revoked: json(401, { message: 'Unauthorized' }),
    refusedAs: 'unknown',
  },
  {
    // https://support.smartbear.com/bitbar/docs/api/authentication.html: curl -u <api-key>: https://cloud.bitbar.com/api/me
    rule: 'bitbar-api-key', method: 'GET', path: '/api/me',
    secretOf: basicKeyAsUser,
    live: json(200, { id: 1234, email: 'qa@fake.test', name: 'Fake QA', mainUser: true }),
    revoked: json(401, { message: 'Unauthorized', statusCode: 401 }),
  },
  {
    // https://docs.codemagic.io/rest-api/applications (x-auth-token), GET /apps
    rule: 'codemagic-api-token', method: 'GET', path: '/apps', secretOf: header('x-auth-token'),
    live: json(200, { applications: [{ _id: '6172cc7d57278d06d4e915f1', appName: 'Fake-App', workflowIds: [] }] }),
    revoked: json(401, { error: 'Unauthorized' }),
  },
  {
    // https://learn.microsoft.com/en-us/rest/api/azure/devops/profile/profiles/get; the PAT as the password of an empty user
    // (call-rest-api). Only PATs for all organizations with the profile scope read it, so a refusal is not proof.
    rule: 'azure-devops-personal-access-token', method: 'GET', path: '/_apis/profile/profiles/me',
    secretOf: basicWithUser(''),
    live: json(200, { displayName: 'Fake Dev', publicAlias: 'b5f2c0de-0000-4000-8000-fa1ce0000002', emailAddress: 'dev@fake.test', coreRevision: 1 }),
    revoked: { status: 401, headers: { 'www-authenticate': 'Basic realm="https://app.vssps.visualstudio.com/"' } },
    refusedAs: 'unknown',
    identity: 'user dev@fake.test, name Fake Dev',
  },
  {
    // https://www.pulumi.com/docs/reference/cloud-rest-api/api-basics/: Authorization: token …, Accept: application/vnd.pulumi+8, 401 if invalid
    rule: 'pulumi-access-token', method: 'GET', path: '/api/user',
    secretOf: (r) => (r.headers.accept === 'application/vnd.pulumi+8' ? scheme('token')(r) : undefined),
    live: json(200, { name: 'Fake Infra', githubLogin: 'fake-infra', email: 'infra@fake.test', organizations: [] }),
    revoked: json(401, { code: 401, message: 'Unauthorized: No credentials provided or are invalid.' }),
    identity: 'user fake-infra',
  },
  {
    // https://docs.snyk.io/developer-tools/snyk-api/authentication-for-api: GET /rest/self?version=…, Authorization: token …;
    // the EU and AU tenants have their own hosts, so the US API's 401 is not proof
    rule: 'snyk-api-token', method: 'GET', path: '/rest/self',
    secretOf: scheme('token'),
    live: json(200, { jsonapi: { version: '1.0' }, data: { type: 'user', id: 'c0ffee00-0000-4000-8000-fa1ce0000003', attributes: { name: 'Fake Sec', username: 'fake-sec', email: 'sec@fake.test' } } }),
    revoked: json(401, { jsonapi: { version: '1.0' }, errors: [{ status: '401', detail: 'Unauthorized' }] }),
    refusedAs: 'unknown',
    identity: 'user fake-sec',
  },
  {
    // https://docs.travis-ci.com/api/ (Authorization: token …) and API V3 (Travis-API-Version: 3), GET /user
    rule: 'travisci-api-token', method: 'GET', path: '/user',
    secretOf: (r) => (r.headers['travis-api-version'] === '3' ? scheme('token')(r) : undefined),
    live: json(200, { '@type': 'user', id: 4321, login: 'fake-builder', name: 'Fake Builder' }),
    revoked: json(403, { '@type': 'error', error_type: 'login_required', error_message: 'login required' }),
    identity: 'user fake-builder',
  },
  {
    // https://docs.bugsnag.com/api/data-access/ (Authorization: token …, X-Version: 2), GET /user/organizations
    rule: 'bugsnag-auth-token', method: 'GET', path: '/user/organizations',
    secretOf: (r) => (r.headers['x-version'] === '2' ? scheme('token')(r) : undefined),
    live: json(200, [{ id: '5f0c0ffee0000000000000a1', name: 'Fake Org', slug: 'fake-org' }]),
    revoked: json(401, { errors: ['Unauthorized'] }),
    refusedAs: 'unknown',
  },
  {
    // Account API, GET /v2/account with Authorization: GenieKey … (docs.opsgenie.com); EU accounts answer on api.eu.opsgenie.com
    rule: 'opsgenie-api-key', method: 'GET', path: '/v2/account', secretOf: scheme('GenieKey'),
    live: json(200, { data: { name: 'fake-ops', userCount: 12, plan: { maxUserCount: 25, name: 'Standard', isYearly: true } }, took: 0.01, requestId: 'fa1ce000-0000-4000-8000-000000000004' }),
    revoked: json(401, { message: 'Could not authenticate', took: 0.0, requestId: 'fa1ce000-0000-4000-8000-000000000005' }),
    refusedAs: 'unknown',
    identity: 'account fake-ops, plan Standard',
  },
  {
    // developer.statuspage.io: Authorization: OAuth <api key>, GET /v1/pages
    rule: 'statuspage-api-key', method: 'GET', path: '/v1/pages', secretOf: scheme('OAuth'),
    live: json(200, [{ id: 'fk0pag3id001', name: 'Fake Status', subdomain: 'fake-status' }]),
    revoked: json(401, { error: 'Could not authenticate' }),
  },
];
