/** What verify: and revoke: share: the headers of the request, and the answers table (how a line is read from YAML and how it matches a provider's HTTP answer). */
import type { Shape } from '../core/shape.js';
import type { AnswerMatch } from '../types.js';

/** The keys of a line that say which answers it applies to; each table adds its own (`state`, `outcome`, `detail`). */
export const MATCH_KEYS = ['status', 'json', 'body_contains'] as const;

/** Reads the matching part of one line: `status` (one or a list), `json` (dotted path → value or list), `body_contains`. */
export function readAnswerMatch(o: Record<string, unknown>, s: Shape): AnswerMatch {
  const statuses = Array.isArray(o.status) ? o.status : [o.status];
  const match: AnswerMatch = {
    status: statuses.map((n, i) => (Array.isArray(o.status) ? s.at('status').at(i) : s.at('status')).number(n, 100, 599)),
  };
  if (o.json !== undefined) {
    const js = s.at('json');
    const obj = js.object(o.json, o.json !== null && typeof o.json === 'object' ? Object.keys(o.json) : []);
    match.json = Object.fromEntries(
      Object.entries(obj).map(([path, want]) => {
        const values = Array.isArray(want) ? want : [want];
        for (const [i, x] of values.entries()) {
          if (x !== null && !['string', 'number', 'boolean'].includes(typeof x)) js.at(path).at(i).fail('expected a string, number, boolean or null');
        }
        return [path, values as Array<string | number | boolean | null>];
      }),
    );
  }
  const contains = s.at('body_contains').optionalString(o.body_contains);
  if (contains !== undefined) match.bodyContains = contains;
  return match;
}

/** The parsed JSON body, or undefined when the body is not JSON. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The value at a dotted path (`accounts.0.friendly_name`) of parsed JSON. */
export function valueAt(data: unknown, path: string): unknown {
  let v = data;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Whether a line applies to an answer; `json` is the parsed body (parseJsonBody). A line with `json:` needs a JSON body. */
export function answerMatches(line: AnswerMatch, response: { status: number; body: string }, json: unknown): boolean {
  if (!line.status.includes(response.status)) return false;
  if (line.bodyContains !== undefined && !response.body.includes(line.bodyContains)) return false;
  if (line.json === undefined) return true;
  if (json === undefined) return false;
  for (const [path, values] of Object.entries(line.json)) {
    const got = valueAt(json, path);
    if (!values.some((want) => want === got)) return false;
  }
  return true;
}

/**
 * The request's `headers:` (name → text, names lower-cased). A header is never where the secret
 * goes: a value holding `forbidden` (a secret template) fails with `why`.
 */
export function readHeaders(v: unknown, s: Shape, forbidden: string, why: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (v === undefined) return headers;
  const obj = s.object(v, v !== null && typeof v === 'object' ? Object.keys(v) : []);
  for (const [name, value] of Object.entries(obj)) {
    const text = s.at(name).string(value);
    if (text.includes(forbidden)) s.at(name).fail(why);
    headers[name.toLowerCase()] = text;
  }
  return headers;
}
