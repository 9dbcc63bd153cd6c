// Verifier stand-ins for rules/fixer.yml … rules/privateai.yml (the ver2 slice of issue 16).
import type { Received } from '../../revoke/fake-provider.js';
import { basic, bearer, header, json, scheme, type FakeApi } from './fake-api.js';

/** A secret sent as one query parameter. */
const query = (name: string) => (r: Received) => new URL(r.path, 'http://x').searchParams.get(name) ?? undefined;
/** HTTP basic auth with the secret as the user name and an empty password. */
const basicUser = (r: Received) => (basic(r)[1] === '' ? basic(r)[0] : undefined);

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
    rule: 'onfleet-api-key', method: 'GET', path: '/api/v2/auth/test', secretOf: basicUser,
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
    // https://gtmetrix.com/api/docs/2.0/ (API key as Basic user; GET /status)
    rule: 'gtmetrix-api-key', method: 'GET', path: '/api/2.0/status', secretOf: basicUser,
    live: json(200, { data: { type: 'user', id: 'k', attributes: { api_credits: 90, account_type: 'Basic' } } }),
    revoked: json(401, { errors: [{ status: '401', code: 'E40100', title: 'Invalid API key' }] }),
    identity: 'plan Basic',
  },
  {
    // https://hunter.io/api-documentation/v2#account (api_key parameter)
    rule: 'hunter-api-key', method: 'GET', path: '/v2/account', secretOf: query('api_key'),
    live: json(200, { data: { first_name: 'Fake', email: 'sales@fake.test', plan_name: 'Free' } }),
    revoked: json(401, { errors: [{ id: 'authentication_failed', code: 401, details: 'No user found for the API key supplied' }] }),
    identity: 'email sales@fake.test, plan Free',
  },
];
