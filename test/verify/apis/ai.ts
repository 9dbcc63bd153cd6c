// Verifier stand-ins for the AI providers' rules (rules/cohere.yml … rules/stability.yml).
import { randomChars } from '../../support/fake-keys.js';
import { basicWithUser, bearer, header, json, scheme, type FakeApi } from './fake-api.js';

const langfusePublicKey = `pk-lf-${randomChars('0123456789abcdef', 8)}-0000-4000-8000-${randomChars('0123456789abcdef', 12)}`;
const unauthorized = (message: string) => json(401, { error: { message, type: 'invalid_request_error' } });

export const AI_APIS: FakeApi[] = [
  {
    // https://developers.deepgram.com/docs/authenticating (Authorization: Token; /v1/auth/token describes a valid key)
    rule: 'deepgram-api-key', method: 'GET', path: '/v1/auth/token', secretOf: scheme('Token'),
    live: json(200, { username: 'fake-listener' }),
    revoked: json(401, { err_code: 'INVALID_AUTH', err_msg: 'Invalid credentials.' }),
  },
  { rule: 'cohere-api-key', method: 'GET', path: '/v1/models', secretOf: bearer, live: json(200, { models: [] }), revoked: json(401, { message: 'invalid api token' }) },
  { rule: 'mistral-api-key', method: 'GET', path: '/v1/models', secretOf: bearer, live: json(200, { object: 'list', data: [] }), revoked: json(401, { message: 'Unauthorized' }) },
  { rule: 'groq-api-key', method: 'GET', path: '/openai/v1/models', secretOf: bearer, live: json(200, { object: 'list', data: [] }), revoked: unauthorized('Invalid API Key') },
  {
    rule: 'replicate-api-token', method: 'GET', path: '/v1/account', secretOf: bearer,
    live: json(200, { type: 'user', username: 'fake-artist', name: 'Fake Artist' }),
    revoked: json(401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 }),
    identity: 'account fake-artist',
  },
  {
    rule: 'xai-api-key', method: 'GET', path: '/v1/api-key', secretOf: bearer,
    live: json(200, { name: 'ci key', team_id: 'team-fake', api_key_blocked: false, api_key_disabled: false, team_blocked: false }),
    revoked: json(400, { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***. You can obtain an API key from https://console.x.ai.' }),
    identity: 'name ci key, team team-fake',
  },
  { rule: 'deepseek-api-key', method: 'GET', path: '/user/balance', secretOf: bearer, live: json(200, { is_available: true, balance_infos: [] }), revoked: unauthorized('Authentication Fails (no such user)') },
  {
    rule: 'openrouter-api-key', method: 'GET', path: '/api/v1/key', secretOf: bearer,
    live: json(200, { data: { label: 'sk-or-v1-abc...def', usage: 0, limit: null, is_free_tier: false } }),
    revoked: json(401, { error: { message: 'No auth credentials found', code: 401 } }),
    identity: 'label sk-or-v1-abc...def',
  },
  { rule: 'together-api-key', method: 'GET', path: '/v1/models', secretOf: bearer, live: json(200, []), revoked: unauthorized('Invalid API key provided.') },
  { rule: 'fireworks-api-key', method: 'GET', path: '/inference/v1/models', secretOf: bearer, live: json(200, { object: 'list', data: [] }), revoked: json(401, { error: 'unauthorized' }) },
  { rule: 'pinecone-api-key', method: 'GET', path: '/indexes', secretOf: header('api-key'), live: json(200, { indexes: [] }), revoked: json(401, { error: { code: 'UNAUTHENTICATED', message: 'Invalid API Key' }, status: 401 }) },
  {
    rule: 'elevenlabs-api-key', method: 'GET', path: '/v1/user', secretOf: header('xi-api-key'),
    live: json(200, { subscription: { tier: 'starter' }, is_new_user: false }),
    revoked: json(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } }),
  },
  { rule: 'assemblyai-api-key', method: 'GET', path: '/v2/transcript', secretOf: header('authorization'), live: json(200, { page_details: {}, transcripts: [] }), revoked: json(401, { error: 'Invalid API key' }) },
  {
    rule: 'stability-api-key', method: 'GET', path: '/v1/user/account', secretOf: bearer,
    live: json(200, { id: 'user-fake', email: 'art@fake.test', organizations: [] }),
    revoked: json(401, { id: 'e0a6', name: 'unauthorized', message: 'Incorrect API key provided' }),
    identity: 'email art@fake.test',
  },
  {
    rule: 'langfuse-secret-key', method: 'GET', path: '/api/public/projects', partner: langfusePublicKey, secretOf: basicWithUser(langfusePublicKey),
    live: json(200, { data: [{ id: 'proj-fake', name: 'fake-project' }] }),
    revoked: json(401, { message: 'Invalid credentials' }),
  },
  // https://docs.perplexity.ai/api-reference/gateway-models-get
  { rule: 'perplexity-api-key', method: 'GET', path: '/router/v1/models', secretOf: bearer, live: json(200, { object: 'list', data: [] }), revoked: unauthorized('Invalid API key') },
  {
    // GET /api/whoami-v2, as Hugging Face's own client (@huggingface/hub whoAmI) calls it
    rule: 'huggingface-access-token', method: 'GET', path: '/api/whoami-v2', secretOf: bearer,
    live: json(200, { type: 'user', id: '64fakeuser', name: 'fake-trainer', fullname: 'Fake Trainer', orgs: [], auth: { type: 'access_token', accessToken: { displayName: 'ci', role: 'read' } } }),
    revoked: json(401, { error: 'Invalid credentials in Authorization header' }),
    identity: 'name fake-trainer, token ci, role read',
  },
  {
    // https://www.braintrust.dev/docs/api-reference (GET /v1/project, Bearer); EU and self-hosted data planes have other base URLs, so a 401 is unknown
    rule: 'braintrust-api-key', method: 'GET', path: '/v1/project', secretOf: bearer,
    live: json(200, { objects: [{ id: '00000000-0000-4000-8000-00000000fake', name: 'fake-evals' }] }),
    revoked: json(401, { Code: 'Unauthorized', Message: 'Invalid authorization token' }),
    refusedAs: 'unknown',
  },
];
