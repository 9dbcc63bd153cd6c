// Verifier stand-ins for rules/prodpad.yml … rules/zulip.yml (helper ver3's slice).
import { basicKeyAsUser, bearer, header, json, query, scheme, type FakeApi } from './fake-api.js';

// https://scrapfly.io/docs/account (GET /account?key=: account, subscription and usage of the key)
const scrapflyAccount = json(200, {
  account: { account_id: '4d1b8e8f-0000-4aa6-88fa-fa1ce0000004', timezone: 'Europe/Paris', currency: 'USD' },
  subscription: { plan_name: 'FREE', period: { start: '2020-07-24', end: '2020-08-24' } },
});
const scrapflyRefusal = json(401, { message: 'Invalid API key', code: 'ERR::AUTH::INVALID_KEY' });

export const VER3_APIS: FakeApi[] = [
  {
    // https://docs.pushbullet.com/v12/ ("Get Current User": Access-Token header)
    rule: 'pushbullet-access-token', method: 'GET', path: '/v2/users/me', secretOf: header('access-token'),
    live: json(200, { iden: 'ufakeiden0', email: 'push@fake.test', name: 'Fake Pusher', created: 1381092887.39 }),
    revoked: json(401, { error: { type: 'invalid_request', message: 'Access token is missing or invalid.' } }),
    refusedAs: 'unknown',
    identity: 'user ufakeiden0, email push@fake.test',
  },
  {
    // https://developer.shortcut.com/api/rest/v3 (Get Current Member Info; 401 for a missing or invalid token)
    rule: 'shortcut-api-token', method: 'GET', path: '/api/v3/member', secretOf: header('shortcut-token'),
    live: json(200, { id: '12345678-9012-4456-8890-123456789012', name: 'Fake Planner', mention_name: 'fakeplanner' }),
    revoked: json(401, { message: 'Unauthorized', tag: 'unauthorized' }),
    identity: 'member 12345678-9012-4456-8890-123456789012, name Fake Planner',
  },
  {
    // https://docs.tradier.com/docs/profile (GET /v1/user/profile, bearer token)
    rule: 'tradier-access-token', method: 'GET', path: '/v1/user/profile', secretOf: bearer,
    live: json(200, { profile: { id: 'id-fakeuser', name: 'Fake Trader', account: [{ account_number: 'VA000009', status: 'active' }] } }),
    revoked: json(401, 'Invalid Access Token'),
    refusedAs: 'unknown',
    identity: 'user id-fakeuser, name Fake Trader',
  },
  {
    // https://api.ynab.com (GET /v1/user: the authenticated user)
    rule: 'ynab-access-token', method: 'GET', path: '/v1/user', secretOf: bearer,
    live: json(200, { data: { user: { id: 'aaaaaaaa-0000-4000-8000-fa1ce0000003' } } }),
    revoked: json(401, { error: { id: '401', name: 'unauthorized', detail: 'Unauthorized' } }),
    refusedAs: 'unknown',
    identity: 'user aaaaaaaa-0000-4000-8000-fa1ce0000003',
  },
  {
    // https://dev.twitch.tv/docs/authentication/validate-tokens/ (Authorization: OAuth <token>)
    rule: 'twitch-token', method: 'GET', path: '/oauth2/validate', secretOf: scheme('OAuth'),
    live: json(200, { client_id: 'fakeclientid0000000000000000ab', login: 'fakestreamer', scopes: ['channel:read:polls'], user_id: '141981764', expires_in: 5520838 }),
    revoked: json(401, { status: 401, message: 'invalid access token' }),
    refusedAs: 'unknown',
    identity: 'login fakestreamer, client fakeclientid0000000000000000ab',
  },
  {
    // https://developer.shodan.io/api (GET /api-info?key=: the plan and credits of the key)
    rule: 'shodan-api-key', method: 'GET', path: '/api-info', secretOf: query('key'),
    live: json(200, { plan: 'dev', query_credits: 100, scan_credits: 100, monitored_ips: 16, https: false, telnet: false }),
    revoked: json(401, { error: 'Please provide a valid API key' }),
    refusedAs: 'unknown',
    identity: 'plan dev',
  },
  {
    // https://docs.scraperapi.com/account-information (GET /account?api_key=: usage and limits)
    rule: 'scraperapi-api-key', method: 'GET', path: '/account', secretOf: query('api_key'),
    live: json(200, { concurrentRequests: 0, requestCount: 120, failedRequestCount: 3, requestLimit: 5000, concurrencyLimit: 5 }),
    revoked: json(403, 'Invalid API key'),
    refusedAs: 'unknown',
  },
  {
    // https://docs.securitytrails.com/docs/authentication (APIKEY header; GET /v1/ping tests the key)
    rule: 'securitytrails-api-key', method: 'GET', path: '/v1/ping', secretOf: header('apikey'),
    live: json(200, { success: true }),
    revoked: json(403, { message: 'Invalid authentication credentials' }),
    refusedAs: 'unknown',
  },
  {
    // https://docs.urlscan.io/apis/urlscan-openapi/generic (API Quotas: GET /api/v1/quotas, api-key header)
    rule: 'urlscan-api-key', method: 'GET', path: '/api/v1/quotas', secretOf: header('api-key'),
    live: json(200, { scope: 'user', limits: { search: { day: { limit: 1000, used: 3, remaining: 997, percent: 0.3 } } } }),
    revoked: json(401, { status: 401, message: 'No valid API key' }),
    refusedAs: 'unknown',
    identity: 'scope user',
  },
  {
    // https://docs.goshippo.com/api-reference/addresses/list-all-addresses (Authorization: ShippoToken;
    // https://docs.goshippo.com/docs/guides_general/authentication: a deleted or expired key gets 401 "Token does not exist")
    rule: 'shippo-api-token', method: 'GET', path: '/addresses/', secretOf: scheme('ShippoToken'),
    live: json(200, { next: null, previous: null, results: [{ object_id: 'd799c2679e644279b59fe661ac8fa488', city: 'San Francisco', test: true }] }),
    revoked: json(401, { detail: 'Token does not exist' }),
  },
  {
    // https://www.tiingo.com/documentation/general/connecting (GET /api/test, Authorization: Token <token>)
    rule: 'tiingo-api-token', method: 'GET', path: '/api/test', secretOf: scheme('Token'),
    live: json(200, { message: 'You successfully sent a request' }),
    revoked: json(401, { detail: 'Invalid token.' }),
    refusedAs: 'unknown',
  },
  {
    // https://developers.tickettailor.com/docs/api/ticket-tailor-api (HTTP Basic, the key as user name;
    // GET /v1/overview: statistics of the box office the key belongs to)
    rule: 'tickettailor-api-key', method: 'GET', path: '/v1/overview',
    secretOf: basicKeyAsUser,
    live: json(200, { box_office_name: 'Fake Hall', currency: { code: 'gbp' }, total_orders: 12 }),
    revoked: json(401, { status: 401, error_code: 'UNAUTHORIZED', message: 'Invalid API key' }),
    refusedAs: 'unknown',
  },
  {
    // https://docs.sportmonks.com/football/core-api/my-sportmonks/get-my-resources (api_token parameter;
    // the authentication page lists 401 for a request that is not authenticated, 403 for a feed outside the plan)
    rule: 'sportmonks-api-token', method: 'GET', path: '/v3/my/resources', secretOf: query('api_token'),
    live: json(200, { data: [{ id: 1, name: 'Football Core', type: 'core' }] }),
    revoked: json(401, { message: 'Unauthenticated.' }),
  },
  {
    // https://www.zerobounce.net/docs/email-validation-api-quickstart/v2-credit-balance
    // (GET /v2/getcredits?api_key=; a balance of -1 means the key is invalid)
    rule: 'zerobounce-api-key', method: 'GET', path: '/v2/getcredits', secretOf: query('api_key'),
    live: json(200, { Credits: 2375323 }),
    revoked: json(200, { Credits: -1 }),
  },
  {
    // https://api.twistapp.com/v3/#get-current-user (GET /api/v3/users/get_session_user, bearer token)
    rule: 'twist-access-token', method: 'GET', path: '/api/v3/users/get_session_user', secretOf: bearer,
    live: json(200, { id: 10076, name: 'Fake Writer', email: 'threads@fake.test' }),
    revoked: json(401, { error_code: 200, error_string: 'Invalid token' }),
    refusedAs: 'unknown',
    identity: 'user 10076, name Fake Writer',
  },
  {
    // https://github.com/zenserp/zenserp-python (Zenserp's own client: GET https://app.zenserp.com/api/status,
    // the key in an apikey header; an answer holding "errors" is a failure)
    rule: 'zenserp-api-key', method: 'GET', path: '/api/status', secretOf: header('apikey'),
    live: json(200, { remaining_requests: 4875 }),
    revoked: json(200, { errors: ['invalid apikey'] }),
    refusedAs: 'unknown',
  },
  {
    // https://docs.rocketreach.co/reference/faq (GET /v2/account: the account and its usage);
    // https://docs.rocketreach.co/reference/responses-and-errors (401: API key missing or invalid)
    rule: 'rocketreach-api-key', method: 'GET', path: '/api/v2/account/', secretOf: header('api-key'),
    live: json(200, { id: 9001, email: 'leads@fake.test', first_name: 'Fake', state: 'registered' }),
    revoked: json(401, { status: 401, message: 'Invalid API Key' }),
    identity: 'account 9001, email leads@fake.test',
  },
  {
    // https://docs.readme.com/main/reference/api-migration-guide (API v2: GET /v2/projects/me, bearer)
    rule: 'readme-api-key', method: 'GET', path: '/v2/projects/me', secretOf: bearer,
    live: json(200, { data: { name: 'Fake Docs', subdomain: 'fake-docs' } }),
    revoked: json(401, { status: 401, title: 'Unauthorized' }),
    refusedAs: 'unknown',
  },
  {
    // https://twelvedata.com/docs/llms/advanced/api-usage.md (GET /api_usage?apikey=)
    rule: 'twelvedata-api-key', method: 'GET', path: '/api_usage', secretOf: query('apikey'),
    live: json(200, { timestamp: '2025-05-07 11:10:12', current_usage: 4, plan_limit: 8, plan_category: 'basic' }),
    revoked: json(200, { code: 401, message: '**apikey** parameter is incorrect or not specified.', status: 'error' }),
    refusedAs: 'unknown',
    identity: 'plan basic',
  },
  {
    // https://docs.tomorrow.io/reference/api-authentication (the key in an apikey header; GET /v4/locations;
    // an unauthenticated request gets 403, which a key without this endpoint's permission may get too)
    rule: 'tomorrowio-api-key', method: 'GET', path: '/v4/locations', secretOf: header('apikey'),
    live: json(200, { data: { locations: [] } }),
    revoked: json(403, { code: 403001, type: 'Access Denied', message: 'The method requested is not available for the resource.' }),
    refusedAs: 'unknown',
  },
  {
    // https://streak.readme.io/docs/getting-started (https://api.streak.com/api/v1, HTTP Basic with the key
    // as user name; GET /users/me is the user of the key)
    rule: 'streak-api-key', method: 'GET', path: '/api/v1/users/me',
    secretOf: basicKeyAsUser,
    live: json(200, { email: 'pipeline@fake.test', displayName: 'Fake Seller', key: 'agxzfm1haWxmb29nYWV' }),
    revoked: json(401, { success: false, error: 'invalid api key' }),
    refusedAs: 'unknown',
    identity: 'email pipeline@fake.test',
  },
  {
    rule: 'scrapfly-api-key', method: 'GET', path: '/account', secretOf: query('key'), live: scrapflyAccount, revoked: scrapflyRefusal,
    refusedAs: 'unknown', identity: 'account 4d1b8e8f-0000-4aa6-88fa-fa1ce0000004, plan FREE',
  },
  {
    rule: 'scrapfly-legacy-key', method: 'GET', path: '/account', secretOf: query('key'), live: scrapflyAccount, revoked: scrapflyRefusal,
    refusedAs: 'unknown', identity: 'account 4d1b8e8f-0000-4aa6-88fa-fa1ce0000004, plan FREE',
  },
  {
    // https://docs.rootly.com/api-reference/users/get-current-user (GET /v1/users/me, bearer)
    rule: 'rootly-api-key', method: 'GET', path: '/v1/users/me', secretOf: bearer,
    live: json(200, { data: { id: '517', type: 'users', attributes: { name: 'Fake Responder', email: 'oncall@fake.test' } } }),
    revoked: json(401, { errors: [{ title: 'Unauthorized', status: '401' }] }),
    refusedAs: 'unknown',
    identity: 'user 517, email oncall@fake.test',
  },
  {
    // https://developers.qase.io/reference/introduction-to-the-qase-api ("Token: API_TOKEN" header;
    // 401: your API key is wrong, 403: your role lacks the permission); GET /v1/project lists projects
    rule: 'qase-api-token', method: 'GET', path: '/v1/project', secretOf: header('token'),
    live: json(200, { status: true, result: { total: 1, filtered: 1, count: 1, entities: [{ title: 'Fake QA', code: 'FQA' }] } }),
    revoked: json(401, { status: false, errorMessage: 'Unauthenticated.' }),
  },
  {
    // https://docs.userflow.com/docs/api (Authorization: Bearer, Userflow-Version header; GET /users)
    rule: 'userflow-api-key', method: 'GET', path: '/users',
    secretOf: (r) => (r.headers['userflow-version'] === '2020-01-03' ? bearer(r) : undefined),
    live: json(200, { object: 'list', data: [], has_more: false, url: '/users' }),
    revoked: json(401, { error: { code: 'unauthorized', message: 'Invalid API key' } }),
    refusedAs: 'unknown',
  },
  {
    // https://help.prodpad.com/article/660-working-with-the-prodpad-api (bearer key, base https://api.prodpad.com/v1/);
    // https://help.prodpad.com/hc/en-us/articles/204633998-GET-ideas (401 when the key is missing or incorrect)
    rule: 'prodpad-api-key', method: 'GET', path: '/v1/ideas', secretOf: bearer,
    live: json(200, { success: true, idea_count: 1, page: 1, size: 20, ideas: [{ id: 1155, title: 'Fake idea' }] }),
    revoked: json(401, { success: false, developer_message: 'Unauthorized', user_message: 'Invalid API key' }),
  },
  {
    // https://refiner.io/docs/api (Authorization: Bearer; GET https://api.refiner.io/v1/)
    rule: 'refiner-api-key', method: 'GET', path: '/v1/', secretOf: bearer,
    live: json(200, { account: { name: 'Fake Surveys' } }),
    revoked: json(401, { message: 'Unauthenticated.' }),
    refusedAs: 'unknown',
  },
  {
    // https://developer.supernotes.app/api-reference/user/get-current-user (GET /v1/user, Api-Key header)
    rule: 'supernotes-api-key', method: 'GET', path: '/v1/user', secretOf: header('api-key'),
    live: json(200, { data: { id: '3c90c3cc-0d44-4b50-8888-fa1ce0000005', email: 'cards@fake.test', username: 'fakenoter' }, subscription: null, quota: 10 }),
    revoked: json(401, { detail: 'Invalid API key' }),
    refusedAs: 'unknown',
    identity: 'user fakenoter, email cards@fake.test',
  },
  {
    // https://docs.reply.io/pages/authentication (GET /v3/whoami, bearer: {"userId": ...};
    // a missing, revoked or unknown key gets 401 with an empty body)
    rule: 'replyio-api-key', method: 'GET', path: '/v3/whoami', secretOf: bearer,
    live: json(200, { userId: 12345 }),
    revoked: { status: 401, body: '', headers: { 'www-authenticate': 'Bearer' } },
    identity: 'user 12345',
  },
  {
    // https://docs.serphouse.com/extra-apis/account-info (GET /account/info, bearer);
    // https://docs.serphouse.com/introduction/authentication (an invalid key: {"status":"error","msg":"Unauthenticated"})
    rule: 'serphouse-api-token', method: 'GET', path: '/account/info', secretOf: bearer,
    live: json(200, { status: 'success', msg: '', results: { email: 'serp@fake.test', name: 'fake tester', plan: [] } }),
    revoked: json(401, { status: 'error', msg: 'Unauthenticated' }),
    identity: 'name fake tester, email serp@fake.test',
  },
  {
    // https://www.skrapp.io/docs/api (X-Access-Key header; GET /api/v2/account: name, email, package, credits)
    rule: 'skrapp-api-key', method: 'GET', path: '/api/v2/account', secretOf: header('x-access-key'),
    live: json(200, { name: 'Fake Prospector', email: 'leads@fake.test', package: 'Free', credit: { used: 3, quota: 150 } }),
    revoked: json(401, { message: 'Unauthorized' }),
    refusedAs: 'unknown',
    identity: 'email leads@fake.test, plan Free',
  },
  {
    // https://developers.vbout.com/docs/1_0/ (GET https://api.vbout.com/1/app/me.json?key=: the business of the key)
    rule: 'vbout-api-key', method: 'GET', path: '/1/app/me.json', secretOf: query('key'),
    live: json(200, { business: { businessName: 'Fake Lofts', contactName: 'Fake Owner', package: 'Starter' } }),
    revoked: json(200, { response: { header: { status: 'error' }, data: { errorCode: 1001, errorMessage: 'Invalid API key.' } } }),
    refusedAs: 'unknown',
    identity: 'business Fake Lofts',
  },
  {
    // https://ai.tatum.io/auth (x-api-key header; GET /v4/data/exchange-rate: a JSON body = the key works, 401 = missing or wrong)
    rule: 'tatum-api-key', method: 'GET', path: '/v4/data/exchange-rate', secretOf: header('x-api-key'),
    live: json(200, { value: '3012.55', basePair: 'USD', timestamp: 1700000000000, source: 'CoinGecko' }),
    revoked: json(401, { statusCode: 401, errorCode: 'ip-address-key.unauthorized', message: 'Authentication required.' }),
  },
  {
    // https://upcdatabase.org/closealert/api-account (GET /account, bearer; an invalid key: success false,
    // "Your API Key is invalid")
    rule: 'upcdatabase-api-key', method: 'GET', path: '/account', secretOf: bearer,
    live: json(200, { success: true, email: 'barcodes@fake.test', banned: false, api_subscription: { active: true, name: 'Standard' } }),
    revoked: json(401, { success: false, error: { message: 'Your API Key is invalid. Please check the format.', endpoint: 'account' } }),
    identity: 'email barcodes@fake.test',
  },
  {
    // https://docs.scrapingant.com/v1/api-credits-usage (GET /v1/usage?x-api-key=: plan and credits);
    // https://docs.scrapingant.com/v1/errors (403: wrong token or credits used up, so not a sure refusal)
    rule: 'scrapingant-api-key', method: 'GET', path: '/v1/usage', secretOf: query('x-api-key'),
    live: json(200, { plan_name: 'Enthusiast', start_date: '2024-01-11T00:00:00', end_date: '2024-02-11T00:00:00', plan_total_credits: 100000, remained_credits: 96740 }),
    revoked: json(403, { detail: 'Wrong API token' }),
    refusedAs: 'unknown',
    identity: 'plan Enthusiast',
  },
  {
    // https://reachmail.com/support/article/before-you-begin ("Authorization: token ...");
    // https://reachmail.com/support/article/reachmail-api-part-i-getting-your-account-iduuid (GET /administration/users/current)
    rule: 'reachmail-api-token', method: 'GET', path: '/administration/users/current', secretOf: scheme('token'),
    live: json(200, { AccountId: '0b1e2c3d-0000-4000-8000-00000000fa4e', AccountKey: 'FAKECO', Username: 'admin', CompanyName: 'Fake Co', Email: 'mail@fake.test', Name: 'Fake Admin' }),
    revoked: json(401, { Message: 'Authorization has been denied for this request.' }),
    refusedAs: 'unknown',
    identity: 'account 0b1e2c3d-0000-4000-8000-00000000fa4e, user admin',
  },
  {
    // https://developer.vyte.in/guides/getting-started/ ("Test your API key": GET /v2/auth/test, the key as
    // the whole Authorization header; the answer is the Organization object)
    rule: 'vyte-api-key', method: 'GET', path: '/v2/auth/test', secretOf: header('authorization'),
    live: json(200, { lang: 'en', private: false, _id: '5f198da1c1ac5d1a30fc0fa4', name: 'Fake Scheduling', plan: 'pro' }),
    revoked: json(401, { message: 'Unauthorized' }),
    refusedAs: 'unknown',
    identity: 'organization Fake Scheduling, id 5f198da1c1ac5d1a30fc0fa4',
  },
  {
    // https://upwavehq.github.io/api/ (GET https://api.upwave.io/auth/ with "Authorization: Token ...":
    // checks the token and answers with the account data)
    rule: 'upwave-api-token', method: 'GET', path: '/auth/', secretOf: scheme('Token'),
    live: json(200, { id: 4242, username: 'fakeboard', email: 'cards@fake.test' }),
    revoked: json(401, { detail: 'Invalid token.' }),
    refusedAs: 'unknown',
  },
  {
    // https://todoist.com/api/v1/docs#tag/User; https://doist.github.io/todoist-api-typescript/api/type-aliases/CurrentUser
    // (Doist's own client: GET /api/v1/user with the bearer token returns the current user)
    rule: 'todoist-api-token', method: 'GET', path: '/api/v1/user', secretOf: bearer,
    live: json(200, { id: '2671355', email: 'tasks@fake.test', full_name: 'Fake Doer', is_premium: false, inbox_project_id: '6Jf8VQXxpwv56VQ7' }),
    revoked: json(401, 'Forbidden'),
    refusedAs: 'unknown',
    identity: 'user 2671355, email tasks@fake.test',
  },
  {
    // https://docs.zeplin.dev/reference/authentication (api.zeplin.dev, bearer token); https://docs.zeplin.dev/reference/user
    // (the User object); https://www.npmjs.com/package/%40zeplin%2Fsdk (getCurrentUser: GET /v1/users/me)
    rule: 'zeplin-access-token', method: 'GET', path: '/v1/users/me', secretOf: bearer,
    live: json(200, { id: '5d9caaecb4a3fa9bc9710fa4', email: 'alias@user.zeplin.io', username: 'fakedesigner', emotar: '🍎' }),
    revoked: json(401, { message: 'invalid_token' }),
    refusedAs: 'unknown',
    identity: 'user 5d9caaecb4a3fa9bc9710fa4, username fakedesigner',
  },
  {
    // https://www.walkscore.com/professional/api.php (GET https://api.walkscore.com/score?format=json&...&wsapikey=;
    // a score answer carries status 1)
    rule: 'walkscore-api-key', method: 'GET', path: '/score', secretOf: query('wsapikey'),
    live: json(200, { status: 1, walkscore: 98, description: "Walker's Paradise", snapped_lat: 47.6085, snapped_lon: -122.3295 }),
    revoked: json(403, { status: 40, description: 'Invalid API key' }),
    refusedAs: 'unknown',
  },
  {
    // https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html (GET /v4/sports?apiKey=; INVALID_KEY is a key
    // that is wrong or has no subscription, DEACTIVATED_KEY one whose subscription ended)
    rule: 'theoddsapi-api-key', method: 'GET', path: '/v4/sports', secretOf: query('apiKey'),
    live: json(200, [{ key: 'americanfootball_nfl', group: 'American Football', title: 'NFL', active: true, has_outrights: false }]),
    revoked: json(401, { message: 'API key is not valid', error_code: 'INVALID_KEY' }),
  },
  {
    // https://docs.moderationapi.com (one key per project, Authorization: Bearer; GET /api/v1/auth names the
    // key's project)
    rule: 'moderation-api-key', method: 'GET', path: '/api/v1/auth', secretOf: bearer,
    live: json(200, { status: 'success', project: 'fake-moderation-project' }),
    revoked: json(401, { message: 'Unauthorized' }),
    identity: 'project fake-moderation-project',
  },
];
