// Verifier stand-ins added for issue 16 (slice noverify-00): one entry per rule whose provider
// documents a read-only request that the key alone may make.
import type { Received } from '../../revoke/fake-provider.js';
import { basic, bearer, header, json, scheme, type FakeApi } from './fake-api.js';

/** A secret sent as one query parameter (`?apikey=`, `?access_key=`). */
const query = (name: string) => (r: Received) => new URL(r.path, 'http://x').searchParams.get(name) ?? undefined;

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
    identity: 'user fake-helper, id 1100000000000000001',
  },
  {
    // https://coda.io/developers/apis/v1#operation/whoami (GET /whoami, Bearer; 401: the API token is invalid or has expired)
    rule: 'coda-api-token', method: 'GET', path: '/apis/v1/whoami', secretOf: bearer,
    live: json(200, { name: 'Fake Writer', loginId: 'docs@fake.test', type: 'user', scoped: false, tokenName: 'ci export', href: 'https://coda.io/apis/v1/whoami' }),
    revoked: json(401, { statusCode: 401, statusMessage: 'Unauthorized', message: 'Unauthorized' }),
    identity: 'user Fake Writer, email docs@fake.test, token ci export',
  },
  {
    // https://docs.diffbot.com/reference/account (GET /v4/account?token=; 401 "Not authorized API token.")
    rule: 'diffbot-token', method: 'GET', path: '/v4/account', secretOf: query('token'),
    live: json(200, { name: 'Fake Crawler', email: 'crawl@fake.test', plan: 'startup', status: 'active', created: '2024-01-02', usage: [] }),
    revoked: json(401, { errorCode: 401, error: 'Not authorized API token.' }),
    identity: 'account Fake Crawler, email crawl@fake.test, plan startup, status active',
  },
];
