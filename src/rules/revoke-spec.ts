/** A rule's `revoke:` block (rules/README.md): read and checked, each error naming the file and key. */
import type { Shape } from '../core/shape.js';
import { UserError } from '../errors.js';
import { MATCH_KEYS, readAnswerMatch, readHeaders } from './answer-table.js';
import { REVOKE_STATUSES, type RevokeAnswer, type RevokeSpec, type RuleSpec } from '../types.js';

const KEYS = ['endpoint', 'request', 'auth', 'headers', 'body', 'batch', 'answers'] as const;
const ANSWER_KEYS = [...MATCH_KEYS, 'outcome', 'detail'] as const;
/** GitHub takes 1000 tokens a request; more than that in one request is a mistake. */
const MAX_BATCH = 1000;

function readAnswer(v: unknown, s: Shape): RevokeAnswer {
  const o = s.object(v, ANSWER_KEYS);
  const answer: RevokeAnswer = { ...readAnswerMatch(o, s), outcome: s.at('outcome').oneOf(o.outcome, REVOKE_STATUSES) };
  const detail = s.at('detail').optionalString(o.detail);
  if (detail !== undefined) answer.detail = detail;
  return answer;
}

/** Every string in a JSON template, with its key path (for errors). */
function* stringsOf(v: unknown, s: Shape): Generator<[string, Shape]> {
  if (typeof v === 'string') yield [v, s];
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* stringsOf(x, s.at(i));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* stringsOf(x, s.at(k));
}

function readBody(v: unknown, s: Shape): RevokeSpec['body'] {
  if (v === undefined || v === null) return { kind: 'none' };
  const o = s.object(v, ['json', 'form']);
  if ((o.json === undefined) === (o.form === undefined)) s.fail('expected one of json: or form:');
  if (o.json !== undefined) {
    for (const [text, at] of stringsOf(o.json, s.at('json'))) {
      if (text.includes('{secrets}') && text !== '{secrets}') at.fail('{secrets} stands alone: it becomes the list of the batch\'s secrets');
    }
    return { kind: 'json', template: o.json };
  }
  const fs = s.at('form');
  const obj = fs.object(o.form, o.form !== null && typeof o.form === 'object' ? Object.keys(o.form) : []);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(obj)) {
    const text = fs.at(name).string(value);
    if (text.includes('{secrets}')) fs.at(name).fail('a form holds one secret: use {secret} and batch 1');
    fields[name] = text;
  }
  return { kind: 'form', fields };
}

/** Whether the body template holds `{secret}` / `{secrets}`. */
function bodyHolds(body: RevokeSpec['body'], placeholder: '{secret}' | '{secrets}'): boolean {
  if (body.kind === 'json') return JSON.stringify(body.template).includes(placeholder);
  if (body.kind === 'form') return Object.values(body.fields).some((f) => f.includes(placeholder));
  return false;
}

/**
 * A rule's `revoke:` block: one POST to the provider that kills the token, and a table from the
 * provider's answer to revoked / already-invalid / failed.
 */
export function readRevokeSpec(v: unknown, s: Shape): RevokeSpec {
  const o = s.object(v, KEYS);
  const endpoint = s.at('endpoint').string(o.endpoint);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(endpoint)) s.at('endpoint').fail('expected lower-case letters, digits and dashes');
  const request = s.at('request').string(o.request);
  const m = /^POST (https:\/\/\S+)$/.exec(request) ?? s.at('request').fail('expected "POST https://..." (the provider\'s own HTTPS endpoint)');
  try {
    new URL(m[1]!);
  } catch {
    s.at('request').fail(`"${m[1]}" is not a URL`);
  }
  const auth = s.at('auth').string(o.auth) as RevokeSpec['auth'];
  if (!/^(bearer|none|header:[A-Za-z0-9-]+)$/.test(auth)) s.at('auth').fail('expected bearer, header:<name> or none');
  const headers = readHeaders(o.headers, s.at('headers'), '{secret', 'send the secret with auth: or in the body, not in a header template');
  const body = readBody(o.body, s.at('body'));
  const batch = o.batch === undefined ? 1 : s.at('batch').number(o.batch, 1, MAX_BATCH);
  if (!Number.isInteger(batch)) s.at('batch').fail('expected a whole number');
  if (batch > 1 && !bodyHolds(body, '{secrets}')) s.at('batch').fail('a batch needs {secrets} in a json body');
  if (batch > 1 && auth !== 'none') s.at('auth').fail('a batch sends its secrets in the body: expected none');
  if (batch > 1 && bodyHolds(body, '{secret}')) s.at('body').fail('{secret} names one secret: use {secrets} in a batch');
  if (auth === 'none' && !bodyHolds(body, '{secret}') && !bodyHolds(body, '{secrets}')) {
    s.at('body').fail('the request carries no secret: put {secret} or {secrets} in the body, or set auth');
  }
  const answers = s.at('answers').list(o.answers).map((a, i) => readAnswer(a, s.at('answers').at(i)));
  if (answers.length === 0) s.at('answers').fail('expected at least one answer (status → outcome)');
  return { endpoint, method: 'POST', url: m[1]!, auth, headers, body, batch, answers };
}

/**
 * A revoke endpoint's override (`verify.endpoints.<name>`) must redirect revocations of one URL
 * only: no verifier may use the name, and every revoker with it posts to the same URL.
 */
export function assertRevokeEndpoints(rules: readonly Pick<RuleSpec, 'id' | 'source' | 'verify' | 'revoke'>[]): void {
  const verifying = new Map<string, string>();
  for (const r of rules) if (r.verify) verifying.set(r.verify.endpoint, `${r.source}: rule "${r.id}"`);
  const revoking = new Map<string, { url: string; where: string }>();
  for (const r of rules) {
    if (!r.revoke) continue;
    const where = `${r.source}: rule "${r.id}"`;
    const name = r.revoke.endpoint;
    const verifier = verifying.get(name);
    if (verifier) throw new UserError(`${where}: revoke.endpoint "${name}" is also a verify endpoint (${verifier}): give revocations a name of their own`);
    const seen = revoking.get(name);
    if (seen && seen.url !== r.revoke.url) {
      throw new UserError(`${where}: revoke.endpoint "${name}" posts to ${r.revoke.url}, but ${seen.where} posts to ${seen.url} under the same name`);
    }
    if (!seen) revoking.set(name, { url: r.revoke.url, where });
  }
}
