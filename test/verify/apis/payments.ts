// Verifier stand-ins for the payment providers' rules (rules/gocardless.yml … rules/wise.yml).
import { randomChars } from '../../support/fake-keys.js';
import type { Received } from '../../revoke/fake-provider.js';
import { basicKeyAsUser, basicWithUser, bearer, header, json, type FakeApi } from './fake-api.js';

const razorpayKeyId = `rzp_live_${randomChars('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 14)}`;
/** GoCardless refuses requests without its version header. */
const gocardlessBearer = (r: Received) => (r.headers['gocardless-version'] === '2015-07-06' ? bearer(r) : undefined);

export const PAYMENT_APIS: FakeApi[] = [
  {
    rule: 'square-access-token', method: 'GET', path: '/v2/locations', secretOf: bearer,
    live: json(200, { locations: [] }),
    revoked: json(401, { errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: 'This request could not be authorized.' }] }),
  },
  {
    rule: 'razorpay-key-secret', method: 'GET', path: '/v1/items', partner: razorpayKeyId, secretOf: basicWithUser(razorpayKeyId),
    live: json(200, { entity: 'collection', count: 0, items: [] }),
    revoked: json(401, { error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed' } }),
  },
  { rule: 'paystack-secret-key', method: 'GET', path: '/balance', secretOf: bearer, live: json(200, { status: true, data: [] }), revoked: json(401, { status: false, message: 'Invalid key' }) },
  { rule: 'mollie-api-key', method: 'GET', path: '/v2/methods', secretOf: bearer, live: json(200, { count: 0, _embedded: { methods: [] } }), revoked: json(401, { status: 401, title: 'Unauthorized Request', detail: 'Missing authentication, or failed to authenticate' }) },
  {
    rule: 'gocardless-access-token', method: 'GET', path: '/creditors', secretOf: gocardlessBearer,
    live: json(200, { creditors: [], meta: { limit: 50 } }),
    revoked: json(401, { error: { message: 'Invalid token', type: 'invalid_api_usage', code: 401 } }),
  },
  { rule: 'wise-api-token', method: 'GET', path: '/v1/me', secretOf: bearer, live: json(200, { id: 101, email: 'ops@fake.test' }), revoked: json(401, { error: 'invalid_token', error_description: 'Invalid token' }) },
  {
    rule: 'paddle-api-key', method: 'GET', path: '/event-types', secretOf: bearer,
    live: json(200, { data: [], meta: { request_id: 'fake' } }),
    revoked: json(401, { error: { type: 'request_error', code: 'authentication_malformed', detail: 'Authentication header included, but incorrectly formatted' } }),
  },
  // https://developer.flutterwave.com/v3.0.0/reference/get-all-wallet-balances
  {
    rule: 'flutterwave-secret-key', method: 'GET', path: '/v3/balances', secretOf: bearer,
    live: json(200, { status: 'success', message: 'Wallet balances fetched', data: [{ currency: 'NGN', available_balance: 0, ledger_balance: 0 }] }),
    revoked: json(401, { status: 'error', message: 'Invalid authorization key', data: null }),
  },
  // https://docs.cdp.coinbase.com/commerce/introduction/quickstart (X-CC-Api-Key; 401 when authentication fails)
  {
    rule: 'coinbase-commerce-api-key', method: 'GET', path: '/checkouts', secretOf: header('x-cc-api-key'),
    live: json(200, { pagination: {}, data: [], warnings: [] }),
    revoked: json(401, { error: { type: 'authorization_error', message: 'No such API key.' } }),
  },
  {
    // https://docs.adyen.com/api-explorer/Management/1/get/me: 401 also for a key without a Management API role, and on live for a test key
    rule: 'adyen-api-key', method: 'GET', path: '/v3/me', secretOf: header('x-api-key'),
    live: json(200, { id: 'S2-FAKE', username: 'ws_123456@Company.FakeShop', active: true, roles: ['Management API - Accounts read'] }),
    revoked: json(401, { status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' }),
    refusedAs: 'unknown',
    identity: 'credential ws_123456@Company.FakeShop',
  },
  {
    // https://docs.lemonsqueezy.com/api/users/retrieve-user (GET /v1/users/me, JSON:API)
    rule: 'lemonsqueezy-api-key', method: 'GET', path: '/v1/users/me',
    secretOf: (r) => (r.headers.accept === 'application/vnd.api+json' ? bearer(r) : undefined),
    live: json(200, { meta: { test_mode: true }, jsonapi: { version: '1.0' }, data: { type: 'users', id: '1', attributes: { name: 'Fake Seller' } } }),
    revoked: json(401, { jsonapi: { version: '1.0' }, errors: [{ detail: 'Unauthenticated.', status: '401', title: 'Unauthorized' }] }),
    identity: 'user Fake Seller, test mode true',
  },
  {
    // GET /v2/users answers the authenticated user (EasyPost's Ruby client: User.retrieve_me); the key is the basic-auth user, no password
    rule: 'easypost-api-key', method: 'GET', path: '/v2/users', secretOf: basicKeyAsUser,
    live: json(200, { id: 'user_fake0000000000000000000000001', object: 'User', name: 'Fake Shipper' }),
    revoked: json(401, { error: { code: 'APIKEY.INACTIVE', message: 'This api key is no longer active. Please use a different api key or reactivate this key.', errors: [] } }),
    identity: 'user user_fake0000000000000000000000001, name Fake Shipper',
  },
  {
    // https://duffel.com/docs/api/overview/making-requests/authentication (Bearer + Duffel-Version); errors page: 401 invalid, 403 valid without permission
    rule: 'duffel-live-access-token', method: 'GET', path: '/air/airlines',
    secretOf: (r) => (r.headers['duffel-version'] === 'v2' ? bearer(r) : undefined),
    live: json(200, { meta: { limit: 1, after: null, before: null }, data: [{ id: 'arl_00009VME7DBKeMags5CliQ', name: 'Fake Air', iata_code: 'ZZ' }] }),
    revoked: json(401, { meta: { status: 401, request_id: 'FakeRequestId' }, errors: [{ type: 'authentication_error', title: 'Invalid access token', message: 'The access token used is not valid', code: 'invalid_token' }] }),
  },
  {
    // https://gumroad.com/api (User: GET /v2/user with access_token; 401: not a valid access token)
    rule: 'gumroad-access-token', method: 'GET', path: '/v2/user', secretOf: (r) => new URL(r.path, 'http://x').searchParams.get('access_token') ?? undefined,
    live: json(200, { success: true, user: { name: 'Fake Creator', url: 'https://fakecreator.gumroad.com' } }),
    revoked: json(401, { success: false, message: 'The access token is invalid' }),
    identity: 'user Fake Creator, page https://fakecreator.gumroad.com',
  },
  // https://developers.taxjar.com/api (Bearer token; categories: list all tax categories)
  { rule: 'taxjar-api-token', method: 'GET', path: '/v2/categories', secretOf: bearer, live: json(200, { categories: [{ name: 'Clothing', product_tax_code: '20010', description: 'All human wearing apparel' }] }), revoked: json(401, { error: 'Unauthorized', detail: 'Not authorized for route', status: 401 }) },
  {
    // https://developers.squarespace.com/commerce-apis/retrieve-basic-site-info (the website that owns the key or token)
    rule: 'squarespace-api-key', method: 'GET', path: '/1.0/authorization/website', secretOf: bearer,
    live: json(200, { id: '5863f6faf7e0abc3cffake01', siteId: 'fake-shop', title: 'Fake Shop', url: 'https://fake-shop.squarespace.com', currency: 'USD' }),
    revoked: json(401, { type: 'AUTHORIZATION_ERROR', subtype: null, message: 'Unauthorized', details: null, contextId: 'FAKECTX' }),
    identity: 'site Fake Shop, url https://fake-shop.squarespace.com',
  },
  {
    // https://docs.snipcart.com/api-reference/authentication (GET /api/orders, secret key as basic-auth user with no password)
    rule: 'snipcart-secret-key', method: 'GET', path: '/api/orders', secretOf: basicKeyAsUser,
    live: json(200, { totalItems: 0, offset: 0, limit: 1, items: [] }),
    revoked: json(401, { message: 'Authorization has been denied for this request.' }),
  },
];
