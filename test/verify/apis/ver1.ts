// Verifier stand-ins added for issue 16 (slice noverify-00): one entry per rule whose provider
// documents a read-only request that the key alone may make.
import { basicKeyAsUser, basicWithUser, bearer, header, json, query, scheme, type FakeApi } from './fake-api.js';

export const VER1_APIS: FakeApi[] = [
  {
    // https://docs.etherscan.io/api-status (eth_blockNumber answers with a block number for a valid key);
    // https://docs.etherscan.io/common-error-messages (status "0", result "Invalid API Key", HTTP 200)
    rule: 'etherscan-api-key', method: 'GET', path: '/v2/api', secretOf: query('apikey'),
    live: json(200, { jsonrpc: '2.0', id: 83, result: '0x1503a2c' }),
    revoked: json(200, { status: '0', message: 'NOTOK', result: 'Invalid API Key' }),
  },
  {
    // https://discord.com/developers/docs/resources/user#get-current-user (Authorization: Bot <token>);
    // https://discord.com/developers/docs/topics/opcodes-and-status-codes#http (401: header missing or invalid)
    rule: 'discord-bot-token', method: 'GET', path: '/api/v10/users/@me', secretOf: scheme('Bot'),
    live: json(200, { id: '1100000000000000001', username: 'fake-helper', bot: true, discriminator: '0' }),
    revoked: json(401, { message: '401: Unauthorized', code: 0 }),
    // The rule's pattern also takes user-account tokens, which Discord refuses with the Bot scheme too.
    refusedAs: 'unknown',
    identity: 'user fake-helper, id 1100000000000000001',
  },
  {
    // https://coda.io/developers/apis/v1 (GET /whoami, Bearer; 401: the API token is invalid or has expired)
    rule: 'coda-api-token', method: 'GET', path: '/apis/v1/whoami', secretOf: bearer,
    live: json(200, { name: 'Fake Writer', loginId: 'docs@fake.test', type: 'user', scoped: false, tokenName: 'ci export', href: 'https://coda.io/apis/v1/whoami' }),
    revoked: json(401, { statusCode: 401, statusMessage: 'Unauthorized', message: 'Unauthorized' }),
    identity: 'user Fake Writer, email docs@fake.test, token ci export',
  },
  {
    // https://docs.diffbot.com/changelog/accountapi-childusage-param, Account API (GET /v4/account?token=; 401 "Not authorized API token.")
    rule: 'diffbot-token', method: 'GET', path: '/v4/account', secretOf: query('token'),
    live: json(200, { name: 'Fake Crawler', email: 'crawl@fake.test', plan: 'startup', status: 'active', created: '2024-01-02', usage: [] }),
    revoked: json(401, { errorCode: 401, error: 'Not authorized API token.' }),
    identity: 'account Fake Crawler, email crawl@fake.test, plan startup, status active',
  },
  {
    // https://docs.daily.co/reference/rest-api, https://docs.daily.co/docs/rest-api/authentication (GET /v1/rooms with
    // Authorization: Bearer; a key that isn't valid gets 401 with error "authentication-error")
    rule: 'daily-api-key', method: 'GET', path: '/v1/rooms', secretOf: bearer,
    live: json(200, { total_count: 0, data: [] }),
    revoked: json(401, { error: 'authentication-error', info: 'bad API key' }),
  },
  // https://github.com/crowdin/docs/blob/main/src/assets/api/crowdin/file-based.yml (GET /api/v2/user, Bearer; 200 user, 401 AuthenticateError).
  // crowdin.com refuses an Enterprise token too (it belongs to {org}.api.crowdin.com), so its 401 stays unknown.
  ...(['crowdin-personal-access-token', 'crowdin-yml-api-token'].map((rule) => ({
    rule, method: 'GET' as const, path: '/api/v2/user', secretOf: bearer,
    live: json(200, { data: { id: 12345678, username: 'fake-translator', email: 'l10n@fake.test', fullName: 'Fake Translator' } }),
    revoked: json(401, { error: { message: 'Unauthorized', code: 401 } }),
    refusedAs: 'unknown' as const,
    identity: 'user fake-translator, email l10n@fake.test, id 12345678',
  }))),
  {
    // https://docs.abuseipdb.com/ (CHECK endpoint: GET /api/v2/check, "Key" header); an unknown key gets 401
    // {"errors":[{"detail":"Authentication failed. Your API key is either missing, incorrect, or revoked. ...","status":401}]}
    rule: 'abuseipdb-api-key', method: 'GET', path: '/api/v2/check', secretOf: header('key'),
    live: json(200, { data: { ipAddress: '127.0.0.1', isPublic: false, abuseConfidenceScore: 0, totalReports: 0 } }),
    revoked: json(401, { errors: [{ detail: 'Authentication failed. Your API key is either missing, incorrect, or revoked.', status: 401 }] }),
  },
  {
    // https://raw.githubusercontent.com/fastforex/openapi/main/openapi.yaml (GET /usage; X-API-KEY header; 401 "Not Authorized")
    rule: 'fastforex-api-key', method: 'GET', path: '/usage', secretOf: header('x-api-key'),
    live: json(200, { monthly_quota: 500000, usage: { '2026-12-01': 12 }, current_period: { start: '2026-11-20', end: '2026-12-19', remaining_quota: 499988, usage: 12 }, ms: 3 }),
    revoked: json(401, { error: 'Not Authorized' }),
    identity: 'quota 500000',
  },
  {
    // https://docs.dyspatch.io/api/specs/2026.06.yml (GET /templates, Bearer, versioned Accept header; 401 APIError code
    // "unauthenticated" = credentials not found or not valid, "unauthorized" = valid but not permitted)
    rule: 'dyspatch-api-key', method: 'GET', path: '/templates',
    secretOf: (r) => (String(r.headers.accept) === 'application/vnd.dyspatch.2026.06+json' ? bearer(r) : undefined),
    live: json(200, { cursor: { hasMore: false }, data: [] }),
    revoked: json(401, { code: 'unauthenticated', message: 'credentials were not found or were not valid' }),
  },
  {
    // https://developers.kit.com/api-reference/v3/account (GET /v3/account?api_secret=; name, primary_email_address);
    // https://developers.kit.com/api-reference/v3/response-codes (401 "Authorization Failed", e.g. an incorrect key)
    rule: 'convertkit-api-secret', method: 'GET', path: '/v3/account', secretOf: query('api_secret'),
    live: json(200, { name: 'Fake Newsletter', primary_email_address: 'news@fake.test' }),
    revoked: json(401, { error: 'Authorization Failed', message: 'API Secret not valid' }),
    identity: 'account Fake Newsletter, email news@fake.test',
  },
  {
    // https://developers.abyssale.com/api-reference/verifyApiKey (POST /auth with x-api-key: 200 {company, version};
    // every failure is 401: "unauthorized" for an unknown or revoked key, "api_access_denied" for a live key whose plan lacks API access)
    rule: 'abyssale-api-key', method: 'POST', path: '/auth', secretOf: header('x-api-key'),
    live: json(200, { company: 'Fake Studio', version: 'v2026-08-21' }),
    revoked: json(401, { message: 'Unauthorized: missing or invalid API key.', id: 'unauthorized' }),
    identity: 'company Fake Studio',
  },
  {
    // https://www.ayrshare.com/docs/apis/user/profile-details (GET /api/user, Authorization: Bearer);
    // https://docs.ayrshare.com/rest-api/errors/http-status-codes (401: the call did not use a valid API key)
    rule: 'ayrshare-api-key', method: 'GET', path: '/api/user', secretOf: bearer,
    live: json(200, { email: 'social@fake.test', activeSocialAccounts: ['twitter'] }),
    revoked: json(401, { status: 'error', code: 102, message: 'API Key not valid.' }),
  },
  // https://api.data.gov/docs/developer-manual (X-Api-Key header; its example request is NREL's alt-fuel-stations);
  // https://developer.nrel.gov/docs/errors (403 with error code API_KEY_INVALID / API_KEY_DISABLED / API_KEY_UNVERIFIED ...)
  ...(['datagov-api-key', 'datagov-url-api-key'].map((rule) => ({
    rule, method: 'GET' as const, path: '/api/alt-fuel-stations/v1.json', secretOf: header('x-api-key'),
    live: json(200, { station_locator_url: 'https://afdc.energy.gov/stations/', total_results: 1, fuel_stations: [{ id: 1 }] }),
    revoked: json(403, { error: { code: 'API_KEY_INVALID', message: 'An invalid api_key was supplied.' } }),
  }))),
  // https://raw.githubusercontent.com/api-evangelist/debounce/refs/heads/main/openapi/debounce-account-management-api-openapi.yml
  // (GET /v1/balance/?api=; 200 {balance}; 401 "Invalid API Key" with {"debounce":{"error":"Wrong API","code":"0"},"success":"0"})
  ...(['debounce-api-key', 'debounce-url-api-key'].map((rule) => ({
    rule, method: 'GET' as const, path: '/v1/balance/', secretOf: query('api'),
    live: json(200, { balance: 1986406, success: 1 }),
    revoked: json(401, { debounce: { error: 'Wrong API', code: '0' }, success: '0' }),
    identity: 'balance 1986406',
  }))),
  {
    // https://docs.detectify.com/developer/authentication (GET /rest/v2/assets/ with X-Detectify-Key; a revoked key gets 401);
    // https://developer.detectify.com/v2: a key with a secret also needs X-Detectify-Signature, so an unsigned 401 stays unknown
    rule: 'detectify-api-key', method: 'GET', path: '/rest/v2/assets/', secretOf: header('x-detectify-key'),
    live: json(200, { assets: [{ token: 'fakeasset', name: 'fake.test' }] }),
    revoked: json(401, { error: { code: 401, message: 'Unauthorized' } }),
    refusedAs: 'unknown',
  },
  {
    // https://docs.coinapi.io/market-data/rest-api (X-CoinAPI-Key header; GET /v1/exchangerate/BTC is its example);
    // https://old.docs.coinapi.io/market-data/rest-api (401 = the API key is wrong, 403 = the key lacks privileges)
    rule: 'coinapi-api-key', method: 'GET', path: '/v1/exchangerate/BTC', secretOf: header('x-coinapi-key'),
    live: json(200, { asset_id_base: 'BTC', rates: [{ time: '2026-12-03T12:00:00.0000000Z', asset_id_quote: 'USD', rate: 91000.5 }] }),
    revoked: json(401, { message: 'Invalid API key' }),
  },
  {
    // https://docs.edenai.co/v3/general/monitoring (GET https://api.edenai.run/v2/cost_management/credits/ with Bearer, {"credits": 42.5});
    // https://docs.edenai.co/v3/how-to/authentication/bearer-token-auth (401: invalid or missing token, or a revoked one)
    rule: 'edenai-legacy-token', method: 'GET', path: '/v2/cost_management/credits/', secretOf: bearer,
    live: json(200, { credits: 42.5 }),
    revoked: json(401, { detail: 'Invalid token.' }),
    identity: 'credits 42.5',
  },
  {
    // https://developers.databox.com/api/api.databox.com/auth/auth_validateapikey (GET /v1/auth/validate-key, x-api-key:
    // 200 valid, 401 missing or invalid). The rule also takes push tokens, which are not API keys, so its 401 stays unknown.
    rule: 'databox-token', method: 'GET', path: '/v1/auth/validate-key', secretOf: header('x-api-key'),
    live: json(200, { requestId: 'b0eac937-0000-4000-8000-fa1ce0000004', status: 'success' }),
    revoked: json(401, { requestId: 'b0eac937-0000-4000-8000-fa1ce0000005', status: 'error', errors: [{ code: 'unauthorized' }] }),
    refusedAs: 'unknown',
  },
  {
    // https://www.chatbot.com/docs/ (GET https://api.chatbot.com/v2/stories with Bearer; 401: not a valid developer access token)
    rule: 'chatbotcom-developer-access-token', method: 'GET', path: '/v2/stories', secretOf: bearer,
    live: json(200, [{ id: '5f1fakestory0000000001', name: 'Welcome' }]),
    revoked: json(401, { timestamp: '2026-12-03T12:00:00.000Z', status: { code: 401, type: 'unauthorized' } }),
  },
  {
    // Same request for a token seen in a Bearer header near api.chatbot.com: a client access token (only /query) is
    // refused there too, so that rule's 401 stays unknown.
    rule: 'chatbotcom-bearer-near-api-url', method: 'GET', path: '/v2/stories', secretOf: bearer,
    live: json(200, [{ id: '5f1fakestory0000000001', name: 'Welcome' }]),
    revoked: json(401, { timestamp: '2026-12-03T12:00:00.000Z', status: { code: 401, type: 'unauthorized' } }),
    refusedAs: 'unknown',
  },
  {
    // https://codequiry.com/usage/api/validate-key (GET /api/v1/auth/validate, apikey header: 200 {valid, user_id, email, name};
    // 401 invalid, expired or missing; 403 valid key on a suspended or restricted account)
    rule: 'codequiry-api-key', method: 'GET', path: '/api/v1/auth/validate', secretOf: header('apikey'),
    live: json(200, { valid: true, user_id: 12345, email: 'checks@fake.test', name: 'Fake Grader' }),
    revoked: json(401, { error: 'Invalid API key' }),
    identity: 'user Fake Grader, email checks@fake.test, id 12345',
  },
  {
    // https://todayheadlines.live/en/docs/authentication (Currents News API: GET /v1/latest-news?apiKey=; a key that is
    // invalid or expired gets 401 {"status":"error","code":401,"message":"Invalid API key"})
    rule: 'currentsapi-api-key', method: 'GET', path: '/v1/latest-news', secretOf: query('apiKey'),
    live: json(200, { status: 'ok', news: [], page: 1 }),
    revoked: json(401, { status: 'error', code: 401, message: 'Invalid API key' }),
  },
  {
    // https://cloudconvert.com/api/v2/users (GET /v2/users/me with Bearer; needs the user.read scope, returns
    // data.username, data.email, data.credits). No refusal is documented and a key without that scope is
    // refused too, so anything but 200 stays unknown.
    rule: 'cloudconvert-api-key', method: 'GET', path: '/v2/users/me', secretOf: bearer,
    live: json(200, { data: { id: 7, username: 'fakeconverter', email: 'convert@fake.test', created_at: '2024-05-01T10:00:00+00:00', credits: 1250 } }),
    revoked: json(401, { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' }),
    refusedAs: 'unknown',
    identity: 'user fakeconverter, email convert@fake.test, credits 1250',
  },
  {
    // https://www.convertapi.com/doc/user (GET https://v2.convertapi.com/user?Secret=; only a secret is accepted there,
    // not a token; the body carries FullName, Email, Active). No refusal is documented, so anything but 200 stays unknown.
    rule: 'convertapi-secret', method: 'GET', path: '/user', secretOf: query('Secret'),
    live: json(200, { Secret: 'ignored', ApiKey: 834345001, Active: true, FullName: 'Fake Converter', Email: 'pdf@fake.test', ConversionsTotal: 1500, ConversionsConsumed: 42 }),
    revoked: json(401, { Code: 4013, Message: 'Secret is invalid.' }),
    refusedAs: 'unknown',
    identity: 'user Fake Converter, email pdf@fake.test, active true',
  },
  {
    // https://dev.chartmogul.com/docs/authentication (the API key as the basic-auth user, empty password; GET /v1/ping
    // answers {"data":"pong!"} when the credentials are correct). The refusal is not documented, so it stays unknown.
    rule: 'chartmogul-api-key', method: 'GET', path: '/v1/ping',
    secretOf: basicKeyAsUser,
    live: json(200, { data: 'pong!' }),
    revoked: json(401, { message: 'Unauthorized' }),
    refusedAs: 'unknown',
  },
  ...(['crawlbase-token', 'crawlbase-token-url'].map((rule): FakeApi => ({
    // https://crawlbase.com/docs/account-api (GET https://api.crawlbase.com/account?token=&product=crawling-api returns the
    // month's totalSuccess, totalFailed, totalDue, remainingCredits); the refusal is not documented, so it stays unknown
    rule, method: 'GET', path: '/account', secretOf: query('token'),
    live: json(200, { totalSuccess: 1200, totalFailed: 3, totalDue: 0, remainingCredits: 3800, domainStats: [] }),
    revoked: json(401, { error: 'Unauthorized' }),
    refusedAs: 'unknown',
    identity: 'credits 3800, due 0',
  }))),
  {
    // https://d7networks.com/docs/Balance/Check_Balance/ (GET https://api.d7networks.com/messages/v1/balance with Bearer and
    // Accept: application/json returns the credit balance); the refusal is not documented, so it stays unknown
    rule: 'd7networks-api-token', method: 'GET', path: '/messages/v1/balance', secretOf: bearer,
    live: json(200, { balance: 99.5 }),
    revoked: json(401, { detail: 'Unauthorized' }),
    refusedAs: 'unknown',
    identity: 'balance 99.5',
  },
  {
    // https://column.com/docs/authentication (the API key as the basic-auth password, empty user name);
    // https://docs.column.com/markdown/api/entity/list-all-entities.md (GET /entities, limit 1 to 100, 200 with
    // {"entities": [...]}). The refusal is not documented, so it stays unknown.
    rule: 'column-api-key', method: 'GET', path: '/entities',
    secretOf: basicWithUser(''),
    live: json(200, { entities: [{ id: 'enti_fake0000000000000000000001', type: 'BUSINESS', is_root: true }], has_more: false }),
    revoked: json(401, { code: 'unauthorized', message: 'Unauthorized' }),
    refusedAs: 'unknown',
  },
];
