// Verifier stand-ins for rules/fixer.yml … rules/privateai.yml (the ver2 slice of issue 16).
import { basicKeyAsUser, basicWithUser, bearer, header, json, query, scheme, type FakeApi } from './fake-api.js';

/** HTTP basic auth with the secret as the user name and an empty password. */

export const VER2_APIS: FakeApi[] = [
  {
    // https://developer.frame.io/platform/v2/api-reference/users/get-me (Bearer developer token)
    rule: 'frameio-developer-token', method: 'GET', path: '/v2/me', secretOf: bearer,
    live: json(200, { id: 'u-1', name: 'Fake Editor', email: 'editor@fake.test', account_id: 'acc-9' }),
    revoked: json(401, { errors: [{ code: 401, title: 'Not Authorized' }] }),
    identity: 'user Fake Editor, email editor@fake.test, account acc-9',
  },
  {
    // https://docs.onfleet.com/reference/an-invalid-request (key as Basic user, empty password)
    rule: 'onfleet-api-key', method: 'GET', path: '/api/v2/auth/test', secretOf: basicKeyAsUser,
    live: json(200, { message: 'Hello organization fakeorg!' }),
    revoked: json(401, { code: 'InvalidCredentials', message: { error: 1102, message: 'The API key provided is invalid.' } }),
  },
  {
    // https://gyazo.com/api/docs (access_token parameter; list of the user's images)
    rule: 'gyazo-access-token', method: 'GET', path: '/api/images', secretOf: query('access_token'),
    live: json(200, []),
    revoked: json(401, { message: 'You are not authorized.' }),
  },
  {
    // https://hunter.io/api-documentation/v2#account (api_key parameter)
    rule: 'hunter-api-key', method: 'GET', path: '/v2/account', secretOf: query('api_key'),
    live: json(200, { data: { first_name: 'Fake', email: 'sales@fake.test', plan_name: 'Free' } }),
    revoked: json(401, { errors: [{ id: 'authentication_failed', code: 401, details: 'No user found for the API key supplied' }] }),
    identity: 'email sales@fake.test, plan Free',
  },
  {
    // https://developers.lokalise.com/reference (X-Api-Token header; GET /api2/projects)
    rule: 'lokalise-api-token', method: 'GET', path: '/api2/projects', secretOf: header('x-api-token'),
    live: json(200, { projects: [] }),
    revoked: json(401, { error: { message: 'Invalid `X-Api-Token` header', code: 401 } }),
  },
  {
    // https://github.com/lunch-money/api-docs (Bearer; GET /v1/me)
    rule: 'lunchmoney-access-token', method: 'GET', path: '/v1/me', secretOf: bearer,
    live: json(200, { user_name: 'Fake Saver', user_email: 'saver@fake.test', user_id: 1, account_id: 2, budget_name: 'Home' }),
    revoked: json(401, { message: 'Access token does not exist.' }),
    identity: 'user saver@fake.test, budget Home',
  },
  {
    // https://mailsac.com/openapi.yml (Mailsac-Key header; GET /api/me, 401 UnauthorizedError)
    rule: 'mailsac-api-key', method: 'GET', path: '/api/me', secretOf: header('mailsac-key'),
    live: json(200, { _id: 'fake_user', email: 'qa@fake.test' }),
    revoked: json(401, { message: 'Not authorized. You may need to log in first.' }),
    identity: 'user fake_user, email qa@fake.test',
  },
  {
    // https://developer.lemlist.com/api-reference/getting-started/authentication (Basic, empty user, key as password)
    rule: 'lemlist-api-key', method: 'GET', path: '/api/team', secretOf: basicWithUser(''),
    live: json(200, { _id: 'tea_1', name: 'Fake Outreach' }),
    revoked: json(401, { message: 'Invalid API key' }),
    identity: 'team Fake Outreach',
  },
  {
    // https://newsapi.org/docs/errors (X-Api-Key header; 401 apiKeyInvalid)
    rule: 'newsapi-api-key', method: 'GET', path: '/v2/top-headlines/sources', secretOf: header('x-api-key'),
    live: json(200, { status: 'ok', sources: [] }),
    revoked: json(401, { status: 'error', code: 'apiKeyInvalid', message: "Your API key is invalid or incorrect. Check your key, or go to https://newsapi.org to create a free API key." }),
  },
  {
    // https://openweathermap.org/faq#error401 (appid parameter; 401 Invalid API key)
    rule: 'openweather-api-key', method: 'GET', path: '/data/2.5/weather', secretOf: query('appid'),
    live: json(200, { coord: { lon: 0, lat: 0 }, name: '' }),
    revoked: json(401, { cod: 401, message: 'Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.' }),
  },
  {
    rule: 'openweather-api-key-url', method: 'GET', path: '/data/2.5/weather', secretOf: query('appid'),
    live: json(200, { coord: { lon: 0, lat: 0 }, name: '' }),
    revoked: json(401, { cod: 401, message: 'Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.' }),
  },
  {
    // https://developers.pandadoc.com/reference/authentication (Authorization: API-Key <key>)
    rule: 'pandadoc-api-key', method: 'GET', path: '/public/v1/members/current', secretOf: scheme('API-Key'),
    live: json(200, { user_id: 'u1', membership_id: 'm1', email: 'docs@fake.test', first_name: 'Fake' }),
    revoked: json(401, { type: 'authentication_error', detail: 'Authentication credentials were not provided.' }),
    identity: 'email docs@fake.test',
  },
  {
    // https://docs.developers.optimizely.com/web-experimentation/docs/api-conventions (Bearer personal token)
    rule: 'optimizely-personal-token', method: 'GET', path: '/v2/projects', secretOf: bearer,
    live: json(200, [{ id: 1, name: 'Fake Site' }]),
    revoked: json(401, { code: 'UNAUTHORIZED', message: 'Authentication failed' }),
  },
  {
    // https://docs.locationiq.com/docs/balance-api and https://docs.locationiq.com/docs/errors (key parameter)
    rule: 'locationiq-api-token', method: 'GET', path: '/v1/balance', secretOf: query('key'),
    live: json(200, { status: 'ok', balance: { day: 4990, bonus: 0 } }),
    revoked: json(401, { error: 'Invalid key' }),
  },
  {
    // https://opencagedata.com/api#codes (key parameter; 401 unknown key, 402 quota exceeded)
    rule: 'opencage-api-key', method: 'GET', path: '/geocode/v1/json', secretOf: query('key'),
    live: json(200, { results: [], status: { code: 200, message: 'OK' } }),
    revoked: json(401, { status: { code: 401, message: 'invalid API key' } }),
  },
  {
    rule: 'opencage-api-key-url', method: 'GET', path: '/geocode/v1/json', secretOf: query('key'),
    live: json(402, { status: { code: 402, message: 'quota exceeded' } }),
    revoked: json(401, { status: { code: 401, message: 'invalid API key' } }),
  },
  {
    // https://docs.moralis.com/web3-data-api/solana/reference/authentication (X-API-Key) and
    // https://docs.moralis.com/data-api/resources/response-codes (401 missing or invalid key)
    rule: 'moralis-api-key', method: 'GET', path: '/api/v2.2/block/1', secretOf: header('x-api-key'),
    live: json(200, { number: '1', hash: '0x88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6' }),
    revoked: json(401, { message: 'Invalid key' }),
  },
  {
    rule: 'moralis-legacy-api-key', method: 'GET', path: '/api/v2.2/block/1', secretOf: header('x-api-key'),
    live: json(200, { number: '1' }),
    revoked: json(401, { message: 'Invalid key' }),
  },
  {
    // https://developers.paymongo.com/docs/make-your-first-api-call (secret key as Basic user, no password),
    // https://developers.paymongo.com/reference/list-all-payments, https://developers.paymongo.com/docs/errors (401)
    rule: 'paymongo-secret-key', method: 'GET', path: '/v1/payments', secretOf: basicKeyAsUser,
    live: json(200, { data: [], has_more: false }),
    revoked: json(401, { errors: [{ code: 'api_key_invalid', detail: 'API key sk_live_**** is invalid.' }] }),
  },
  {
    // Geoapify's own 401 FAQ (apiKey parameter; {"statusCode":401,"message":"Invalid apiKey"})
    rule: 'geoapify-api-key', method: 'GET', path: '/v1/geocode/reverse', secretOf: query('apiKey'),
    live: json(200, { type: 'FeatureCollection', features: [] }),
    revoked: json(401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid apiKey' }),
  },
  {
    // https://developer.mixmax.com/reference/getting-started-with-the-api (X-API-Token; GET /v1/users/me)
    rule: 'mixmax-api-token', method: 'GET', path: '/v1/users/me', secretOf: header('x-api-token'),
    live: json(200, { _id: 'u1', email: 'rep@fake.test', name: 'Fake Rep' }),
    revoked: json(401, { message: 'Unauthorized' }),
    identity: 'email rep@fake.test, name Fake Rep',
  },
];
