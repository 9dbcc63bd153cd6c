// Verifier stand-ins for the messaging and email providers' rules (rules/brevo.yml … rules/telnyx.yml).
import { randomChars } from '../../support/fake-keys.js';
import { basicKeyAsUser, basicWithUser, bearer, header, json, scheme, type FakeApi } from './fake-api.js';

const mailjetKey = randomChars('0123456789abcdef', 32);
const plivoAuthId = `MA${randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 18)}`;

export const MESSAGING_APIS: FakeApi[] = [
  {
    // MessageBird's REST API: Authorization: AccessKey <key>, GET /balance (its clients' balance call)
    rule: 'messagebird-api-key', method: 'GET', path: '/balance', secretOf: scheme('AccessKey'),
    live: json(200, { payment: 'prepaid', type: 'euros', amount: 9.5 }),
    revoked: json(401, { errors: [{ code: 2, description: 'Request not allowed (incorrect access_key)', parameter: 'access_key' }] }),
    refusedAs: 'unknown',
  },
  {
    // https://developers.klaviyo.com/en/docs/authenticate_ (Authorization: Klaviyo-API-Key, revision header)
    rule: 'klaviyo-private-api-key', method: 'GET', path: '/api/accounts/',
    secretOf: (r) => (r.headers.revision === '2024-10-15' ? scheme('Klaviyo-API-Key')(r) : undefined),
    live: json(200, { data: [{ type: 'account', id: 'AbC123', attributes: { contact_information: { organization_name: 'Fake Store' } } }] }),
    revoked: json(401, { errors: [{ status: 401, code: 'not_authenticated', detail: 'Incorrect authentication credentials.' }] }),
    identity: 'account AbC123, organization Fake Store',
  },
  {
    rule: 'sparkpost-api-key', method: 'GET', path: '/api/v1/account', secretOf: header('authorization'),
    live: json(200, { results: { customer_id: 123, company_name: 'Fake Mail' } }),
    revoked: json(401, { errors: [{ message: 'Unauthorized.' }] }),
  },
  {
    rule: 'brevo-api-key', method: 'GET', path: '/v3/account', secretOf: header('api-key'),
    live: json(200, { email: 'ops@fake.test', companyName: 'Fake Shop', plan: [] }),
    revoked: json(401, { code: 'unauthorized', message: 'Key not found' }),
    identity: 'email ops@fake.test, company Fake Shop',
  },
  {
    rule: 'mailjet-secret-key', method: 'GET', path: '/v3/REST/user', partner: mailjetKey, secretOf: basicWithUser(mailjetKey),
    live: json(200, { Count: 1, Data: [{ Email: 'ops@fake.test' }], Total: 1 }),
    revoked: json(401, { ErrorMessage: 'API key authentication/authorization failure', StatusCode: 401 }),
  },
  {
    rule: 'resend-api-key', method: 'GET', path: '/domains', secretOf: bearer,
    live: json(200, { data: [] }),
    revoked: json(400, { statusCode: 400, message: 'API key is invalid', name: 'validation_error' }),
  },
  {
    rule: 'loops-api-key', method: 'GET', path: '/api/v1/api-key', secretOf: bearer,
    live: json(200, { success: true, teamName: 'Fake Team' }),
    revoked: json(401, { error: 'Invalid API key' }),
    identity: 'team Fake Team',
  },
  {
    rule: 'plivo-auth-token', method: 'GET', path: `/v1/Account/${plivoAuthId}/`, partner: plivoAuthId, secretOf: basicWithUser(plivoAuthId),
    live: json(200, { account_type: 'standard', auth_id: plivoAuthId, name: 'Fake Corp' }),
    revoked: json(401, { error: 'authentication failed' }),
  },
  { rule: 'telnyx-api-key', method: 'GET', path: '/v2/balance', secretOf: bearer, live: json(200, { data: { balance: '10.00', currency: 'USD' } }), revoked: json(401, { errors: [{ code: '10009', title: 'Authentication failed' }] }) },
  {
    rule: 'intercom-access-token', method: 'GET', path: '/me', secretOf: bearer,
    live: json(200, { type: 'admin', email: 'support@fake.test', app: { name: 'Fake Help' } }),
    revoked: json(401, { type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] }),
    identity: 'app Fake Help, email support@fake.test',
  },
  {
    rule: 'hubspot-private-app-token', method: 'GET', path: '/account-info/v3/details', secretOf: bearer,
    live: json(200, { portalId: 1234567, accountType: 'STANDARD' }),
    revoked: json(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' }),
    identity: 'portal 1234567',
  },
  {
    // https://postmarkapp.com/developer/api/server-api (GET /server): an account token is refused there too, so a 401 is unknown
    rule: 'postmark-api-token', method: 'GET', path: '/server', secretOf: header('x-postmark-server-token'),
    live: json(200, { ID: 1, Name: 'Fake Transactional', Color: 'blue', DeliveryType: 'Live' }),
    revoked: json(401, { ErrorCode: 10, Message: 'Request does not contain a valid Server token.' }),
    refusedAs: 'unknown',
    identity: 'server Fake Transactional',
  },
  // https://developers.mailersend.com/api/v1/other-endpoints (GET /v1/api-quota does not count toward the quota)
  { rule: 'mailersend-api-token', method: 'GET', path: '/v1/api-quota', secretOf: bearer, live: json(200, { quota: 1000, remaining: 999, reset: '2026-12-04T00:00:00Z' }), revoked: json(401, { message: 'Unauthenticated.' }) },
  // https://docs.courier.com/reference/brands-api (GET /brands, list brands), Bearer auth token
  { rule: 'courier-api-key', method: 'GET', path: '/brands', secretOf: bearer, live: json(200, { paging: { more: false }, results: [] }), revoked: json(401, { message: 'Unauthorized', type: 'authorization_error' }) },
  {
    // Messaging API, get bot info (GET /v2/bot/info with the channel access token)
    rule: 'line-channel-access-token', method: 'GET', path: '/v2/bot/info', secretOf: bearer,
    live: json(200, { userId: 'Ufakefakefakefakefakefakefakefake', basicId: '@000fake', displayName: 'Fake Bot', chatMode: 'bot' }),
    revoked: json(401, { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' }),
    identity: 'bot Fake Bot, id @000fake',
  },
  {
    // https://developer.webex.com/docs/api/v1/people/get-my-own-details (GET /v1/people/me with the bot's token)
    rule: 'webex-bot-token', method: 'GET', path: '/v1/people/me', secretOf: bearer,
    live: json(200, { id: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mYWtl', emails: ['fakebot@webex.bot'], displayName: 'Fake Bot', type: 'bot' }),
    revoked: json(401, { message: 'The request requires a valid access token set in the Authorization request header.', errors: [], trackingId: 'fake' }),
    identity: 'name Fake Bot, type bot',
  },
  {
    // https://dev.frontapp.com/docs/authentication (Bearer on api2.frontapp.com); GET /me is the token's identity
    rule: 'front-api-token', method: 'GET', path: '/me', secretOf: bearer,
    live: json(200, { _links: { self: 'https://fakeco.api.frontapp.com/me' }, name: 'Fake Co', id: 'cmp_fake1' }),
    revoked: json(401, { _error: { status: 401, title: 'Unauthenticated', message: 'Invalid token' } }),
    identity: 'company Fake Co, id cmp_fake1',
  },
  {
    // https://docs.lob.com (basic auth, the key as user and a blank password; 401 when not authenticated); list addresses
    rule: 'lob-api-key', method: 'GET', path: '/v1/addresses', secretOf: basicKeyAsUser,
    live: json(200, { data: [], object: 'list', count: 0 }),
    revoked: json(401, { error: { message: 'Your API key is not valid. Please sign up on lob.com to get a valid api key.', status_code: 401, code: 'unauthorized' } }),
  },
  // https://developers.mailerlite.com/getting-started (Bearer on connect.mailerlite.com/api; 401 {"message":"Unauthenticated."}); list groups
  { rule: 'mailerlite-api-token', method: 'GET', path: '/api/groups', secretOf: bearer, live: json(200, { data: [], links: {}, meta: { total: 0 } }), revoked: json(401, { message: 'Unauthenticated.' }) },
  // https://api-docs.omnisend.com/docs/migrate-from-v5-to-v2026-03-15 (v5: GET /v5/contacts with the X-API-KEY header)
  { rule: 'omnisend-api-key', method: 'GET', path: '/v5/contacts', secretOf: header('x-api-key'), live: json(200, { contacts: [], paging: { next: null, previous: null, limit: 1 } }), revoked: json(401, { error: 'Unauthorized', fields: null }) },
  {
    // https://sendbird.com/docs/chat/v3/platform-api/organization/managing-application/list-applications (GET gate.sendbird.com/api/v2/applications, SENDBIRDORGANIZATIONAPITOKEN header)
    rule: 'sendbird-organization-api-key', method: 'GET', path: '/api/v2/applications', secretOf: header('sendbirdorganizationapitoken'),
    live: json(200, { count: 0, previous: null, next: null, results: [] }),
    revoked: json(400, { message: 'Invalid value: "Organization API Token".', code: 400401, error: true }),
  },
];
