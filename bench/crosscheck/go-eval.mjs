// A tiny evaluator for the Go expressions that build rule-test samples in gitleaks and trufflehog:
// string literals, `+`, []string{…}, append, fmt.Sprintf and gitleaks' sample helpers. Anything
// else throws Unsupported, and the caller counts the sample as skipped.
import { generateFromRegex } from './regex-gen.mjs';

export class Unsupported extends Error {}

const GO_ESCAPES = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Go source → tokens: {t:'str'|'id'|'num'|'op'|'nl', v}. Comments are dropped. */
export function tokenize(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') { out.push({ t: 'nl' }); i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (src.startsWith('//', i)) { const e = src.indexOf('\n', i); i = e === -1 ? src.length : e; continue; }
    if (src.startsWith('/*', i)) { const e = src.indexOf('*/', i + 2); i = e === -1 ? src.length : e + 2; continue; }
    if (c === '`') { const e = src.indexOf('`', i + 1); out.push({ t: 'str', v: src.slice(i + 1, e === -1 ? src.length : e) }); i = e === -1 ? src.length : e + 1; continue; }
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          const e = src[i + 1];
          if (e === 'x') { v += String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16)); i += 4; continue; }
          if (e === 'u') { v += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16)); i += 6; continue; }
          v += GO_ESCAPES[e] ?? e;
          i += 2;
          continue;
        }
        v += src[i++];
      }
      i++;
      out.push({ t: 'str', v });
      continue;
    }
    const id = /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*/.exec(src.slice(i, i + 200));
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    const num = /^\d+/.exec(src.slice(i, i + 30));
    if (num) { out.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const op = ['...', ':=', '==', '!=', '&&', '||', '+=', '<=', '>='].find((o) => src.startsWith(o, i)) ?? c;
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

const PATTERNS = {
  Numeric: (n) => `[0-9]{${n}}`,
  Hex: (n) => `[a-f0-9]{${n}}`,
  AlphaNumeric: (n) => `[a-z0-9]{${n}}`,
  AlphaNumericExtendedShort: (n) => `[a-z0-9_-]{${n}}`,
  AlphaNumericExtended: (n) => `[a-z0-9=_\\-]{${n}}`,
  AlphaNumericExtendedLong: (n) => `[a-z0-9\\/=_\\+\\-]{${n}}`,
  Hex8_4_4_4_12: () => '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
};

// The line shapes gitleaks' GenerateSampleSecrets writes around an identifier and a secret
// (cmd/generate/config/utils/generate.go): {i} identifier, {I} upper-cased, {s} secret.
const SAMPLE_SHAPES = [
  '{i}Token="{s}"', '{i}Token = "{s}"', '{i}Token={s}', '{i}Token = {s}', '{\n    "{i}_token": "{s}"\n}',
  '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}', '<{i}Token>\n    {s}\n</{i}Token>',
  '{i}_token: {s}', "{i}_token: '{s}'", '{i}_token: "{s}"', 'string {i}Token = "{s}";', 'var {i}Token string = "{s}"',
  '{i}Token := "{s}"', '{i}Token := `{s}`', 'String {i}Token = "{s}";', 'var {i}Token = "{s}"', '${i}Token .= "{s}"',
  "{i}Token = '{s}'", '{i}Token = "{s}"', 'System.setProperty("{I}_TOKEN", "{s}")', '  "{i}Token" => "{s}"',
  '{i}_TOKEN = "{s}"', '{i}_TOKEN := "{s}"', '{i}_TOKEN ::= "{s}"', '{i}_TOKEN :::= "{s}"', '{i}_TOKEN ?= "{s}"',
];

function sprintf(format, args) {
  let k = 0;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([svdqx%])/g, (_, _flags, verb) => {
    if (verb === '%') return '%';
    const a = args[k++];
    if (a === undefined) throw new Unsupported('Sprintf: missing argument');
    if (verb === 'q') return JSON.stringify(String(a));
    return Array.isArray(a) ? `[${a.join(' ')}]` : String(a);
  });
}

/** Calls we know; the name is the token as written (package-qualified or not). */
function callBuiltin(name, args, rand) {
  const base = name.replace(/^(utils|secrets|fmt|strings)\./, '');
  if (base in PATTERNS) return PATTERNS[base](...args);
  switch (base) {
    case 'NewSecret': return generateFromRegex(String(args[0]), rand);
    case 'GenerateSampleSecret': return `${args[0]}_api_token = "${args[1]}"`;
    case 'GenerateSampleSecrets': return SAMPLE_SHAPES.map((s) => s.replaceAll('{i}', args[0]).replaceAll('{I}', String(args[0]).toUpperCase()).replaceAll('{s}', args[1]));
    case 'Sprintf': return sprintf(String(args[0]), args.slice(1));
    case 'append': return [...args[0], ...args.slice(1).flat()];
    case 'Repeat': return String(args[0]).repeat(Number(args[1]));
    case 'ToUpper': return String(args[0]).toUpperCase();
    case 'ToLower': return String(args[0]).toLowerCase();
    case 'Join': return args[0].join(args[1]);
    case 'string': case 'byte': return args[0];
    default: throw new Unsupported(`call ${name}`);
  }
}

/**
 * Evaluates one expression starting at tokens[at]. `env` maps identifiers to values (strings,
 * numbers, arrays). Returns {value, next}. List elements that cannot be evaluated become SKIPPED.
 */
export const SKIPPED = Symbol('skipped');

export function evaluate(tokens, at, env, rand) {
  let i = at;
  const peek = (depth) => { while (depth > 0 && tokens[i]?.t === 'nl') i++; return tokens[i]; };
  const expect = (v, depth) => { const t = peek(depth); if (t?.v !== v) throw new Unsupported(`expected ${v}, got ${t?.v}`); i++; };

  function sum(depth) {
    let left = primary(depth);
    while (peek(depth)?.t === 'op' && tokens[i].v === '+') {
      i++;
      while (tokens[i]?.t === 'nl') i++;
      const right = primary(depth);
      if (typeof left !== 'string' && typeof left !== 'number') throw new Unsupported('+ on a list');
      left = typeof left === 'number' && typeof right === 'number' ? left + right : `${left}${right}`;
    }
    return left;
  }

  function list(depth) {
    // after `{` of a composite literal
    const items = [];
    for (;;) {
      const t = peek(depth + 1);
      if (!t) throw new Unsupported('unterminated list');
      if (t.v === '}') { i++; return items; }
      const start = i;
      try {
        items.push(sum(depth + 1));
      } catch (err) {
        if (!(err instanceof Unsupported)) throw err;
        i = start;
        skipElement();
        items.push(SKIPPED);
      }
      if (peek(depth + 1)?.v === ',') i++;
    }
  }

  function skipElement() {
    let nest = 0;
    for (; i < tokens.length; i++) {
      const v = tokens[i].t === 'op' ? tokens[i].v : null;
      if (v === '(' || v === '{' || v === '[') nest++;
      else if (v === ')' || v === '}' || v === ']') { if (nest === 0) return; nest--; } else if (v === ',' && nest === 0) return;
    }
  }

  function primary(depth) {
    const t = peek(depth);
    if (!t) throw new Unsupported('end of input');
    if (t.t === 'str' || t.t === 'num') { i++; return t.v; }
    if (t.t === 'op' && t.v === '(') { i++; const v = sum(depth + 1); expect(')', depth + 1); return v; }
    if (t.t === 'op' && t.v === '[') {
      // []string{…} or []string(nil) or []byte(x)
      expect('[', depth); expect(']', depth);
      const type = peek(depth);
      if (type?.t !== 'id') throw new Unsupported('composite type');
      i++;
      if (peek(depth)?.v === '{') {
        if (type.v !== 'string') throw new Unsupported(`[]${type.v}{…}`);
        i++;
        return list(depth);
      }
      if (peek(depth)?.v === '(') {
        i++;
        const v = tokens[i]?.v === 'nil' ? (i++, []) : sum(depth + 1);
        expect(')', depth + 1);
        return v;
      }
      throw new Unsupported('composite');
    }
    if (t.t === 'id') {
      i++;
      if (t.v === 'nil') return [];
      if (peek(0)?.v === '(') {
        i++;
        const args = [];
        while (peek(depth + 1)?.v !== ')') {
          args.push(sum(depth + 1));
          if (peek(depth + 1)?.v === '...') i++;
          if (peek(depth + 1)?.v === ',') i++;
          else if (peek(depth + 1)?.v !== ')') throw new Unsupported(`call ${t.v}: argument`);
        }
        i++;
        return callBuiltin(t.v, args, rand);
      }
      if (env.has(t.v)) return env.get(t.v);
      throw new Unsupported(`unknown name ${t.v}`);
    }
    throw new Unsupported(`token ${t.v}`);
  }

  const value = sum(0);
  return { value, next: i };
}

/**
 * Runs the assignments in tokens[from, to) in source order (`x := e`, `x = e`, `var x [T] = e`,
 * `const (…)` members), updating env. Returns the names whose assignment could not be evaluated.
 */
export function runAssignments(tokens, from, to, env, rand) {
  const failed = new Set();
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.t !== 'id' || tokens[i - 1]?.v === '.') continue;
    let eq = i + 1;
    if (tokens[eq]?.t === 'id' && tokens[eq + 1]?.v === '=') eq++; // `name Type = value`
    else if (tokens[eq]?.v === '[' && tokens[eq + 1]?.v === ']' && tokens[eq + 3]?.v === '=') eq += 3;
    const op = tokens[eq];
    if (!op || op.t !== 'op' || (op.v !== ':=' && op.v !== '=')) continue;
    const prev = tokens[i - 1];
    if (prev && prev.t === 'op' && prev.v === ',') continue; // `a, b := f()`
    try {
      const { value, next } = evaluate(tokens, eq + 1, env, rand);
      env.set(t.v, value);
      i = next - 1;
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
      failed.add(t.v);
    }
  }
  return failed;
}
