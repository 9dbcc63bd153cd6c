// Verifier stand-ins for the SaaS providers' rules (rules/adafruit.yml … rules/typeform.yml).
import type { Received } from '../../revoke/fake-provider.js';
import { randomChars } from '../../support/fake-keys.js';
import { basicKeyAsUser, bearer, header, json, query, scheme, type FakeApi } from './fake-api.js';

const airtableUser = json(200, { id: 'usrFakeUser00001', email: 'base@fake.test', scopes: ['data.records:read'] });
const airtableRefusal = json(401, { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } });
// Notion reads the token only with a Notion-Version header (https://developers.notion.com/reference/versioning).
const notionToken = (r: Received) => (r.headers['notion-version'] === '2022-06-28' ? bearer(r) : undefined);
const notionBot = json(200, { object: 'user', id: '9a3b0c1d-0000-4000-8000-fa1ce0000002', name: 'Fake Sync', type: 'bot', bot: {} });
const notionRefusal = json(401, { object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.' });

const trelloKey = randomChars('0123456789abcdef', 32);

export const SAAS_APIS: FakeApi[] = [
  {
    // https://developer.okta.com/docs/reference/api/users/ (Get current User; Authorization: SSWS <token>).
    // The host is the org's, from its URL in the file: a refusal may mean another org, so it stays unknown.
    rule: 'okta-api-token', method: 'GET', path: '/api/v1/users/me', secretOf: scheme('SSWS'), partner: 'dev-123456',
    live: json(200, { id: '00ub0oNGTSWTBKOLGLNR', status: 'ACTIVE', profile: { login: 'admin@fake.test', email: 'admin@fake.test' } }),
    revoked: json(401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' }),
    refusedAs: 'unknown',
    identity: 'user admin@fake.test',
  },
  {
    // https://adafruit.github.io/Adafruit_IO_Documentation (GET /api/v2/user, X-AIO-Key header)
    rule: 'adafruit-io-key', method: 'GET', path: '/api/v2/user', secretOf: header('x-aio-key'),
    live: json(200, { id: 1, name: 'Fake Maker', username: 'fake_maker', time_zone: 'UTC' }),
    revoked: json(401, { error: 'request failed - invalid API key' }),
    identity: 'username fake_maker',
  },
  // https://airtable.com/developers/web/api/get-user-id-scopes (GET /v0/meta/whoami)
  { rule: 'airtable-personal-access-token', method: 'GET', path: '/v0/meta/whoami', secretOf: bearer, live: airtableUser, revoked: airtableRefusal, identity: 'user usrFakeUser00001, email base@fake.test' },
  { rule: 'airtable-oauth-token', method: 'GET', path: '/v0/meta/whoami', secretOf: bearer, live: airtableUser, revoked: airtableRefusal, identity: 'user usrFakeUser00001, email base@fake.test' },
  {
    // https://developers.asana.com/reference/getuser (user_gid "me")
    rule: 'asana-personal-access-token', method: 'GET', path: '/api/1.0/users/me', secretOf: bearer,
    live: json(200, { data: { gid: '1200000000000001', name: 'Fake Planner', email: 'tasks@fake.test', resource_type: 'user' } }),
    revoked: json(401, { errors: [{ message: 'Not Authorized', help: 'For more information on API status codes and how to handle them, read the docs on errors' }] }),
    identity: 'name Fake Planner, email tasks@fake.test',
  },
  {
    // https://dev.bitly.com/api-reference/#getUser; an invalid token is refused with 403 FORBIDDEN
    rule: 'bitly-access-token', method: 'GET', path: '/v4/user', secretOf: bearer,
    live: json(200, { login: 'fakeshort', name: 'Fake Shortener', is_active: true, default_group_guid: 'Bfake00000' }),
    revoked: json(403, { message: 'FORBIDDEN', description: 'You are currently forbidden to access this resource.' }),
    identity: 'login fakeshort, name Fake Shortener',
  },
  {
    // GET /api/v2/user; "Authorization: pk_..." (https://developer.clickup.com), the token is the whole header
    rule: 'clickup-personal-token', method: 'GET', path: '/api/v2/user', secretOf: header('authorization'),
    live: json(200, { user: { id: 81234567, username: 'Fake Lead', email: 'lead@fake.test' } }),
    revoked: json(401, { err: 'Token invalid', ECODE: 'OAUTH_025' }),
    identity: 'user Fake Lead, email lead@fake.test',
  },
  {
    // https://contentful.com/developers/docs/references/content-management-api/users/get-the-authenticated-user
    rule: 'contentful-personal-access-token', method: 'GET', path: '/users/me', secretOf: bearer,
    live: json(200, { email: 'cms@fake.test', firstName: 'Fake', sys: { type: 'User', id: '7FakeUserId' } }),
    revoked: json(401, { sys: { type: 'Error', id: 'AccessTokenInvalid' }, message: 'The access token you sent could not be found or is invalid.' }),
    identity: 'email cms@fake.test, id 7FakeUserId',
  },
  {
    // https://developers.facebook.com/docs/graph-api/guides/error-handling (190: access token expired or invalid)
    rule: 'facebook-access-token', method: 'GET', path: '/me', secretOf: query('access_token'),
    live: json(200, { name: 'Fake Page', id: '100000000000001' }),
    revoked: json(400, { error: { message: 'Error validating access token: The session has been invalidated.', type: 'OAuthException', code: 190, error_subcode: 466, fbtrace_id: 'AfakeTrace' } }),
    identity: 'name Fake Page, id 100000000000001',
  },
  {
    // GET /v1/me; 403 "Invalid token" for a dead token (a live one without the scope gets "Invalid scope(s)")
    rule: 'figma-personal-access-token', method: 'GET', path: '/v1/me', secretOf: header('x-figma-token'),
    live: json(200, { id: '1234567890', email: 'design@fake.test', handle: 'Fake Designer', img_url: 'https://fake.test/a.png' }),
    revoked: json(403, { status: 403, err: 'Invalid token' }),
    identity: 'handle Fake Designer, email design@fake.test',
  },
  {
    // https://launchdarkly.com/docs/api/other/get-caller-identity (401: invalid access token)
    rule: 'launchdarkly-access-token', method: 'GET', path: '/api/v2/caller-identity', secretOf: header('authorization'),
    live: json(200, { accountId: '5fakeaccount0000000000', tokenName: 'ci reader', tokenKind: 'personal', authKind: 'token' }),
    revoked: json(401, { code: 'unauthorized', message: 'Invalid access token' }),
    identity: 'account 5fakeaccount0000000000, token ci reader',
  },
  {
    // https://docs.mapbox.com/api/accounts/tokens/ ("Retrieve a token": the answer's code says why a token fails)
    rule: 'mapbox-secret-token', method: 'GET', path: '/tokens/v2', secretOf: query('access_token'),
    live: json(200, { code: 'TokenValid', token: { usage: 'sk', user: 'fake-mapper', authorization: 'cfakeauthorization01' } }),
    revoked: json(401, { message: 'Unauthorized' }),
    identity: 'user fake-mapper',
  },
  {
    // GET /api/v1/organizations with X-Cisco-Meraki-API-Key (https://developer.cisco.com/meraki/api-v1/authorization)
    rule: 'meraki-api-key', method: 'GET', path: '/api/v1/organizations', secretOf: header('x-cisco-meraki-api-key'),
    live: json(200, [{ id: '549236', name: 'Fake Campus', url: 'https://n1.meraki.com/o/fake/manage/organization/overview' }]),
    revoked: json(401, { errors: ['Invalid API key'] }),
  },
  // https://developers.notion.com/reference/get-self
  { rule: 'notion-integration-token', method: 'GET', path: '/v1/users/me', secretOf: notionToken, live: notionBot, revoked: notionRefusal, identity: 'bot Fake Sync, id 9a3b0c1d-0000-4000-8000-fa1ce0000002' },
  { rule: 'notion-legacy-integration-token', method: 'GET', path: '/v1/users/me', secretOf: notionToken, live: notionBot, revoked: notionRefusal, identity: 'bot Fake Sync, id 9a3b0c1d-0000-4000-8000-fa1ce0000002' },
  {
    // GET /v1/users/me (https://pipedrive.readme.io/docs/marketplace-getting-user-data), api_token query parameter
    rule: 'pipedrive-api-token', method: 'GET', path: '/v1/users/me', secretOf: query('api_token'),
    live: json(200, { success: true, data: { id: 1, name: 'Fake Seller', email: 'deals@fake.test', company_domain: 'fakeco' } }),
    revoked: json(401, { success: false, error: 'unauthorized access', errorCode: 401, error_info: 'Please check developers.pipedrive.com' }),
    identity: 'name Fake Seller, email deals@fake.test',
  },
  {
    // GET /me, "retrieve your own account" (needs accounts:read; 401 only: 403 is a missing scope)
    rule: 'typeform-personal-access-token', method: 'GET', path: '/me', secretOf: bearer,
    live: json(200, { alias: 'Fake Survey', email: 'forms@fake.test', language: 'en', user_id: '01FAKEUSER' }),
    revoked: json(401, { code: 'AUTHENTICATION_FAILED', description: 'Authentication credentials not found on the Request Headers' }),
    identity: 'alias Fake Survey, email forms@fake.test',
  },
  // https://supabase.com/docs/reference/api/introduction (GET /v1/projects with a personal access token)
  { rule: 'supabase-personal-access-token', method: 'GET', path: '/v1/projects', secretOf: bearer, live: json(200, []), revoked: json(401, { message: 'Unauthorized' }) },
  // Segment Public API, Get Workspace (GET /, the workspace of the token)
  {
    rule: 'segment-public-api-token', method: 'GET', path: '/', secretOf: bearer,
    live: json(200, { data: { workspace: { id: 'fakeWorkspace01', slug: 'fake-co', name: 'Fake Co' } } }),
    revoked: json(401, { errors: [{ type: 'unauthorized', message: 'Unauthorized' }] }),
  },
  {
    // https://developer.calendly.com/how-to-find-the-organization-or-user-uri (GET /users/me with a personal access token)
    rule: 'calendly-personal-access-token', method: 'GET', path: '/users/me', secretOf: bearer,
    live: json(200, { resource: { uri: 'https://api.calendly.com/users/FAKEFAKEFAKEFAKE', name: 'Fake Scheduler', scheduling_url: 'https://calendly.com/fake-scheduler', resource_type: 'User' } }),
    revoked: json(401, { title: 'Unauthenticated', message: 'The access token is invalid' }),
    identity: 'user Fake Scheduler, page https://calendly.com/fake-scheduler',
  },
  {
    // https://developers.miro.com/reference/use-access-token-for-rest-api-requests (GET /v1/oauth-token: the token's own context)
    rule: 'miro-access-token', method: 'GET', path: '/v1/oauth-token', secretOf: bearer,
    live: json(200, { type: 'token', team: { type: 'team', id: '3074457300000000001', name: 'Fake Board Team' }, user: { type: 'user', id: '3074457300000000002', name: 'Fake Facilitator' }, scopes: ['boards:read', 'identity:read'] }),
    revoked: json(401, { status: 401, code: 'tokenNotProvided', message: 'Authorization failed', type: 'error' }),
    identity: 'team Fake Board Team, user Fake Facilitator, scopes boards:read, identity:read',
  },
  {
    // https://developers.smartsheet.com/api/smartsheet/openapi/users/get-current-user; a 401 from the US host may be another region's token
    rule: 'smartsheet-access-token', method: 'GET', path: '/2.0/users/me', secretOf: bearer,
    live: json(200, { id: 48569348493401200, name: 'Fake Planner', account: { id: 122454719915908, name: 'Fake Org' } }),
    revoked: json(401, { errorCode: 1002, message: 'Your Access Token is invalid.', refId: 'fake1' }),
    refusedAs: 'unknown',
    identity: 'user Fake Planner, account Fake Org',
  },
  {
    // https://developers.webflow.com/data/reference/token/introspect (site, workspace and app tokens)
    rule: 'webflow-api-token', method: 'GET', path: '/v2/token/introspect', secretOf: bearer,
    live: json(200, { authorization: { id: 'fakeauth0001', grantType: 'client_credentials', scope: 'sites:read,cms:read', authorizedTo: { siteIds: ['fakesite01'] } } }),
    revoked: json(401, { code: 'not_authorized', message: 'Request not authorized', externalReference: null, details: [] }),
    identity: 'grant client_credentials, scopes sites:read,cms:read',
  },
  {
    // https://www.eventbrite.com/developer/v3/endpoints/users/ (GET /users/me/, Bearer)
    rule: 'eventbrite-private-token', method: 'GET', path: '/v3/users/me/', secretOf: bearer,
    live: json(200, { id: '100000000001', name: 'Fake Organizer', first_name: 'Fake', last_name: 'Organizer' }),
    revoked: json(401, { status_code: 401, error_description: 'The OAuth token you provided was invalid.', error: 'INVALID_AUTH' }),
    identity: 'user Fake Organizer, id 100000000001',
  },
  {
    // https://posthog.com/tutorials/api-get-insights-persons (GET /api/users/@me/ with a personal API key); EU and self-hosted keys are refused on US Cloud
    rule: 'posthog-personal-api-key', method: 'GET', path: '/api/users/@me/', secretOf: bearer,
    live: json(200, { uuid: '01800000-0000-0000-0000-00000000fake', first_name: 'Fake', email: 'product@fake.test' }),
    revoked: json(401, { type: 'authentication_error', code: 'authentication_failed', detail: 'Personal API key found in request Authorization header is invalid.', attr: null }),
    refusedAs: 'unknown',
    identity: 'user product@fake.test',
  },
  {
    // https://developer.atlassian.com/cloud/trello/guides/rest-api/api-introduction/ (key and token as query parameters; GET /1/members/me)
    // The table's override keeps only the path, so the ?key= half of the pair is not checked here.
    rule: 'trello-token', method: 'GET', path: '/1/members/me', partner: trelloKey, secretOf: query('token'),
    live: json(200, { id: '5fakefakefakefakefake001', username: 'fakeboarder', fullName: 'Fake Boarder' }),
    revoked: { status: 401, headers: { 'content-type': 'text/plain' }, body: 'invalid token' },
    identity: 'user fakeboarder',
  },
  {
    // https://developers.hellosign.com/api/reference/account (GET /v3/account); the API key is the basic-auth user, password blank
    rule: 'dropbox-sign-api-key', method: 'GET', path: '/v3/account', secretOf: basicKeyAsUser,
    live: json(200, { account: { account_id: 'fakeaccount0000000000000000000000000001', email_address: 'sign@fake.test', is_locked: false } }),
    revoked: json(401, { error: { error_msg: 'Unauthorized api key', error_name: 'unauthorized' } }),
    identity: 'account fakeaccount0000000000000000000000000001',
  },
  {
    // https://developer.close.com/api/overview/api-key-authentication (GET /api/v1/me/, the key as basic-auth user, blank password)
    rule: 'close-api-key', method: 'GET', path: '/api/v1/me/', secretOf: basicKeyAsUser,
    live: json(200, { id: 'user_fake0001', email: 'sales@fake.test', first_name: 'Fake', organizations: [] }),
    revoked: json(401, { error: 'The API key you provided is invalid.' }),
    identity: 'user sales@fake.test',
  },
  {
    // https://www.jotform.com/apidocs-v1/ (GET /user, APIKEY header); EU and HIPAA accounts have other API hosts, so a 401 is unknown
    rule: 'jotform-api-key', method: 'GET', path: '/user', secretOf: header('apikey'),
    live: json(200, { responseCode: 200, message: 'success', content: { username: 'fakeforms', name: 'Fake Forms', account_type: 'FREE' } }),
    revoked: json(401, { responseCode: 401, message: "You're not authorized to use (/user) ", content: '' }),
    refusedAs: 'unknown',
    identity: 'user fakeforms',
  },
  // https://docs.wistia.com/docs/making-api-requests (Bearer; the page's own example request, GET /v1/medias.json)
  { rule: 'wistia-api-token', method: 'GET', path: '/v1/medias.json', secretOf: bearer, live: json(200, []), revoked: json(401, { error: 'Invalid credentials.' }) },
  {
    // https://docs.imagekit.io/api-reference/api-introduction/authentication (private key as basic-auth user, no password; GET /v1/files)
    rule: 'imagekit-private-key', method: 'GET', path: '/v1/files', secretOf: basicKeyAsUser,
    live: json(200, []),
    revoked: json(401, { message: 'Your request does not contain private API key.', help: 'For support kindly contact us at support@imagekit.io .' }),
  },
  {
    // https://developers.rebrandly.com/docs/getting-account-details (GET /v1/account, apikey header; 401 unauthorized)
    rule: 'rebrandly-api-key', method: 'GET', path: '/v1/account', secretOf: header('apikey'),
    live: json(200, { id: 'fakeaccount00000000000000000001', fullName: 'Fake Links', username: 'links@fake.test', subscription: { limits: {} } }),
    revoked: json(401, { code: 'Unauthorized', message: 'Unauthorized' }),
    identity: 'account links@fake.test, name Fake Links',
  },
  {
    // https://delighted.com/docs/api (basic auth, the key as user and a blank password; 401: the API key was invalid)
    rule: 'delighted-api-key', method: 'GET', path: '/v1/metrics.json', secretOf: basicKeyAsUser,
    live: json(200, { nps: 42, promoter_count: 10, passive_count: 4, detractor_count: 2, response_count: 16 }),
    revoked: json(401, { status: 401, message: 'Unauthorized' }),
  },
  {
    // https://developers.everhour.com/authentication (GET /users/me with X-Api-Key; 401 {"code":401,"message":"Unauthorized"})
    rule: 'everhour-api-token', method: 'GET', path: '/users/me', secretOf: header('x-api-key'),
    live: json(200, { id: 69, name: 'Fake Tracker', email: 'time@fake.test', role: 'admin', status: 'active' }),
    revoked: json(401, { code: 401, message: 'Unauthorized' }),
    identity: 'user Fake Tracker, role admin',
  },
  {
    // https://developer.capsulecrm.com/v2/operations/User (show current user); authentication page: 401 invalid or expired, 403 missing scope
    rule: 'capsulecrm-api-token', method: 'GET', path: '/api/v2/users/current', secretOf: bearer,
    live: json(200, { user: { id: 1, username: 'fakeseller', name: 'Fake Seller', status: 'ACTIVE' } }),
    revoked: json(401, { message: 'authentication failed' }),
    identity: 'user fakeseller',
  },
];
