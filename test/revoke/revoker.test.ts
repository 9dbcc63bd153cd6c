import { describe, expect, it } from 'vitest';
import { loadRulesDir, readRuleFile } from '../../src/rules/load.js';
import type { Post, PostResponse } from '../../src/net/http-post.js';
import { revokeWith } from '../../src/revoke/revoker.js';
import { planRevocation, revocableProviders, revokeGroups } from '../../src/revoke/revokers.js';
import type { RevocableToken } from '../../src/revoke/types.js';
import type { RuleSpec } from '../../src/types.js';
import { githubToken } from '../support/fake-keys.js';

const rules = new Map(loadRulesDir().map((r) => [r.id, r]));
const github = rules.get('github-personal-access-token')!;
const slack = rules.get('slack-bot-token')!;
const endpoint = new URL('https://revoke.example/');

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A Post that records each request and answers with `answer(n)`; no network. */
function fakePost(answer: (n: number) => Partial<PostResponse> | Error): { post: Post; sent: Sent[] } {
  const sent: Sent[] = [];
  const post: Post = async (url, headers, body) => {
    sent.push({ url: url.href, headers, body });
    const a = answer(sent.length);
    if (a instanceof Error) throw a;
    return { status: 200, headers: {}, body: '', ...a };
  };
  return { post, sent };
}

const token = (rule: RuleSpec, secret: string): RevocableToken => ({ ruleId: rule.id, ruleName: rule.name, provider: rule.provider, secret, redacted: '…', where: 'a:1' });

describe("GitHub's revoke: block", () => {
  it('posts the tokens as JSON, without authentication, up to 1000 a request', async () => {
    const tokens = Array.from({ length: 1001 }, () => token(github, githubToken()));
    const { post, sent } = fakePost(() => ({ status: 202 }));
    const outcomes = await revokeWith(github.revoke!, github.providerName, tokens, endpoint, post);
    expect(sent.map((s) => (JSON.parse(s.body) as { credentials: string[] }).credentials.length)).toEqual([1000, 1]);
    expect(JSON.parse(sent[1]!.body)).toEqual({ credentials: [tokens[1000]!.secret] });
    expect(sent[0]!.headers).toEqual({
      'user-agent': 'secretscan',
      'content-type': 'application/json',
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    });
    expect(outcomes).toHaveLength(1001);
    expect(new Set(outcomes.map((o) => `${o.status}: ${o.detail}`))).toEqual(new Set(['revoked: GitHub accepted it for revocation (202); the owner is notified']));
  });

  it('reads 422 as a refusal and an answer its table does not know as a failure naming the status', async () => {
    const { post } = fakePost((n) => ({ status: n === 1 ? 422 : 404 }));
    const [a] = await revokeWith(github.revoke!, 'GitHub', [token(github, githubToken())], endpoint, post);
    const [b] = await revokeWith(github.revoke!, 'GitHub', [token(github, githubToken())], endpoint, post);
    expect(a).toMatchObject({ status: 'failed', detail: 'GitHub refused the request (422: validation failed, or over 60 requests an hour)' });
    expect(b).toMatchObject({ status: 'failed', detail: 'GitHub answered HTTP 404' });
  });
});

describe("Slack's revoke: block", () => {
  const answers: Array<[string, Partial<PostResponse>, string, string]> = [
    ['revoked', { body: '{"ok":true,"revoked":true}' }, 'revoked', 'Slack revoked it (auth.revoke: revoked)'],
    ['ok but not revoked', { body: '{"ok":true,"revoked":false}' }, 'failed', 'Slack refused (not revoked)'],
    ['already dead', { body: '{"ok":false,"error":"token_expired"}' }, 'already-invalid', 'Slack no longer accepts it (token_expired)'],
    ['another error', { body: '{"ok":false,"error":"ratelimited"}' }, 'failed', 'Slack refused (ratelimited)'],
    ['no error code', { body: '{"ok":false}' }, 'failed', 'Slack refused (unknown error)'],
    ['not JSON', { body: '<html>' }, 'failed', 'Slack answered with something other than JSON'],
    ['another status', { status: 404 }, 'failed', 'Slack answered HTTP 404'],
  ];
  it.each(answers)('%s', async (_, answer, status, detail) => {
    const { post, sent } = fakePost(() => answer);
    const [outcome] = await revokeWith(slack.revoke!, slack.providerName, [token(slack, 'xoxb-1')], endpoint, post);
    expect(outcome).toMatchObject({ status, detail });
    expect(sent[0]).toEqual({
      url: endpoint.href,
      headers: { 'user-agent': 'secretscan', 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-1' },
      body: '',
    });
  });

  it('sends one token a request, and a network error fails that token only', async () => {
    const { post, sent } = fakePost((n) => (n === 1 ? new Error('connection refused') : { body: '{"ok":true,"revoked":true}' }));
    const outcomes = await revokeWith(slack.revoke!, 'Slack', [token(slack, 'xoxb-1'), token(slack, 'xoxb-2')], endpoint, post);
    expect(sent.map((s) => s.headers.authorization)).toEqual(['Bearer xoxb-1', 'Bearer xoxb-2']);
    expect(outcomes.map((o) => `${o.token.secret} ${o.status} ${o.detail}`)).toEqual([
      'xoxb-1 failed could not reach revoke.example: connection refused',
      'xoxb-2 revoked Slack revoked it (auth.revoke: revoked)',
    ]);
  });

  it('never prints a token the answer echoes back, nor its control characters', async () => {
    const { post } = fakePost((n) => ({ body: JSON.stringify({ ok: false, error: n === 1 ? 'bad token xoxb-1' : 'bad\u001b[31m' }) }));
    const [a] = await revokeWith(slack.revoke!, 'Slack', [token(slack, 'xoxb-1')], endpoint, post);
    const [b] = await revokeWith(slack.revoke!, 'Slack', [token(slack, 'xoxb-2')], endpoint, post);
    expect(a!.detail).toBe('Slack refused (withheld: it holds the token)');
    expect(b!.detail).toBe('Slack refused (bad\\u001b[31m)');
  });
});

describe('a form body and a header auth', () => {
  const [rule] = readRuleFile(
    {
      provider: 'acme',
      name: 'Acme',
      revocation: { urgency: 'rotate', summary: 'Rotate it.', steps: ['Rotate.'], after: ['Check logs.'] },
      rules: [
        {
          id: 'acme-key',
          name: 'Acme key',
          severity: 'high',
          keywords: ['acme_'],
          pattern: '(acme_[a-z]{20})',
          revoke: {
            endpoint: 'acme-revoke',
            request: 'POST https://api.acme.example/revoke',
            auth: 'header:X-Acme-Key',
            body: { form: { token: '{secret}', note: 'leaked {secret}&more' } },
            answers: [{ status: 204, outcome: 'revoked' }],
          },
        },
      ],
    },
    'acme.yml',
  );
  it('form-encodes the fields with the secret in place, and sends the secret in the header', async () => {
    const { post, sent } = fakePost(() => ({ status: 204 }));
    const [outcome] = await revokeWith(rule!.revoke!, 'Acme', [token(rule!, 'acme_$&x y')], endpoint, post);
    expect(sent[0]!.headers['x-acme-key']).toBe('acme_$&x y');
    expect(sent[0]!.body).toBe('token=acme_%24%26x+y&note=leaked+acme_%24%26x+y%26more');
    expect(outcome).toMatchObject({ status: 'revoked', detail: 'Acme answered HTTP 204' });
  });
});

describe('planning', () => {
  it('groups tokens by revoke: block in rule order, and leaves the rest to be revoked by hand', async () => {
    const aws = rules.get('aws-access-key-id')!;
    const tokens = [token(slack, 'xoxb-1'), token(aws, 'AKIA'), token(github, 'ghp-1'), token(rules.get('github-oauth-token')!, 'gho-1')];
    const plan = planRevocation(tokens, rules);
    expect(plan.manual.map((t) => t.secret)).toEqual(['AKIA']);
    expect(plan.revocable.map((t) => t.secret)).toEqual(['xoxb-1', 'ghp-1', 'gho-1']);
    expect(plan.groups.map((g) => `${g.spec.endpoint}: ${g.tokens.map((t) => t.secret).join(' ')}`)).toEqual(['github-revoke: ghp-1 gho-1', 'slack-revoke: xoxb-1']);
    expect(revocableProviders(rules)).toBe('GitHub and Slack');

    const { post, sent } = fakePost((n) => (n === 1 ? { status: 202 } : { body: '{"ok":true,"revoked":true}' }));
    const outcomes = await revokeGroups(plan.groups, { 'slack-revoke': 'http://127.0.0.1:9/api/auth.revoke' }, post);
    expect(sent.map((s) => s.url)).toEqual(['https://api.github.com/credentials/revoke', 'http://127.0.0.1:9/api/auth.revoke']);
    expect(outcomes.map((o) => o.status)).toEqual(['revoked', 'revoked', 'revoked']);
  });
});
