// Pieces of text every match of an RE2 pattern holds, read off its syntax, so that a rule whose
// keywords are only context (`facebook` gating a bare `EAA…` token) need not search a whole buffer.
import { groupOpening } from './match-length.js';

/** A piece of text; `ci`: in any ASCII case (it came from `(?i)`), stored in lower case. */
export interface Anchor {
  text: string;
  ci: boolean;
}

/** What a piece of pattern can match, as far as this reader can tell. */
interface Info {
  /** Every string it can match, when they are few (an empty string where it can match nothing). */
  exact: Anchor[] | null;
  /** Strings one of which every match holds; null when nothing is known. */
  req: Anchor[] | null;
}

/** Most strings an exact set holds before it is given up (a product of alternations grows fast). */
const MAX_SET = 32;
/** Most characters a string of an exact set holds. */
const MAX_TEXT = 64;
/** Anchors shorter than this would occur everywhere: no use for finding where to search. */
export const MIN_ANCHOR = 3;
/** Most anchors a rule may have (each is one more literal in the prefilter's pass). */
export const MAX_ANCHORS = 16;

const ANY: Info = { exact: null, req: null };
const EMPTY: Info = { exact: [{ text: '', ci: false }], req: null };
/** A bare `(?i)`: RE2 applies a repetition after it to what came before (`abcd(?i)?` is `abcd?`). */
const FLAGS: Info = { exact: [{ text: '', ci: false }], req: null };

class Unknown extends Error {}

/**
 * Texts one of which every match of `pattern` holds (each at least MIN_ANCHOR characters, at most
 * MAX_ANCHORS of them), or null when the pattern's syntax says no such set. A text from `(?i)` is
 * matched in any ASCII case (RE2 also folds `k` to the Kelvin sign and `s` to the long s; the
 * keyword prefilter ignores those too). Erring towards null is always safe: the rule then runs
 * wherever its keywords allow, as before.
 */
export function patternAnchors(pattern: string): Anchor[] | null {
  let info: Info;
  try {
    const parser = new Parser(pattern);
    info = parser.alternation();
    if (!parser.done()) return null;
  } catch {
    return null;
  }
  const found = best(info.req, info.exact);
  if (!found) return null;
  // A text that holds another of the set adds nothing: a match holding it holds the other too.
  const covers = (b: Anchor, a: Anchor) => a !== b && (b.ci ? a.text.toLowerCase().includes(b.text) : !a.ci && a.text.includes(b.text));
  const set = found.filter((a) => !found.some((b) => covers(b, a) && !(covers(a, b) && found.indexOf(a) < found.indexOf(b))));
  if (set.length > MAX_ANCHORS || set.some((a) => a.text.length < MIN_ANCHOR)) return null;
  return foldedKS(set);
}

/**
 * Where a pattern takes k in both cases (`[Kk]ey_`, `(?:K|k)`), RE2 also matches the Kelvin sign
 * there, even outside `(?i)`; the same for s and the long s (ſ). So texts in one case that differ
 * only in the case of a k or an s are searched in any case, like texts from `(?i)` (and then not
 * used by the detector, which searches texts in one case only).
 */
function foldedKS(set: Anchor[]): Anchor[] {
  const lower = set.filter((a) => !a.ci && /[ks]/i.test(a.text)).map((a) => a.text.toLowerCase());
  const both = new Set(lower.filter((t, i) => lower.indexOf(t) !== i));
  if (both.size === 0) return set;
  return dedupe(set.map((a) => (!a.ci && both.has(a.text.toLowerCase()) ? { text: a.text.toLowerCase(), ci: true } : a)));
}

/** Of two requirement sets, the one whose shortest text is longer (then the smaller one). */
function best(a: Anchor[] | null, b: Anchor[] | null): Anchor[] | null {
  const score = (s: Anchor[] | null) => (s && s.length > 0 ? Math.min(...s.map((x) => x.text.length)) : -1);
  const sa = score(a);
  const sb = score(b);
  if (sa !== sb) return sa > sb ? a : b;
  if (!a || !b) return a ?? b;
  return a.length <= b.length ? a : b;
}

/** A set without repeats (a text in any case covers the same text in one case). */
function dedupe(set: Anchor[]): Anchor[] {
  const ci = new Set(set.filter((a) => a.ci).map((a) => a.text));
  const seen = new Set<string>();
  const out: Anchor[] = [];
  for (const a of set) {
    if (!a.ci && ci.has(a.text.toLowerCase())) continue;
    const key = `${a.ci ? '~' : '='}${a.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/** Every string of `a` followed by every string of `b` (in any case if either is). */
function product(a: Anchor[], b: Anchor[]): Anchor[] | null {
  if (a.length * b.length > MAX_SET) return null;
  const out: Anchor[] = [];
  for (const x of a) {
    for (const y of b) {
      const ci = x.ci || y.ci;
      const text = ci ? (x.text + y.text).toLowerCase() : x.text + y.text;
      if (text.length > MAX_TEXT) return null;
      out.push({ text, ci });
    }
  }
  return dedupe(out);
}

/** What a set of matches requires: the set itself, unless it can match the empty string. */
function required(info: Info): Anchor[] | null {
  if (info.exact && !info.exact.some((a) => a.text === '')) return best(info.req, info.exact);
  return info.req;
}

function concat(items: Info[]): Info {
  let run: Anchor[] | null = [{ text: '', ci: false }];
  let req: Anchor[] | null = null;
  let exact = true;
  const close = () => {
    if (run) req = best(req, required({ exact: run, req: null }));
  };
  for (const item of items) {
    if (item.exact && run) {
      const next = product(run, item.exact);
      if (next) {
        // The run so far is a requirement too, and a smaller one than after `["']?` multiplies it.
        close();
        run = next;
        continue;
      }
      close();
      exact = false;
      run = item.exact;
      continue;
    }
    exact = false;
    close();
    req = best(req, required(item));
    run = item.exact;
  }
  if (exact && run) return { exact: run, req: null };
  close();
  return { exact: null, req };
}

function alternation(branches: Info[]): Info {
  let exact: Anchor[] | null = [];
  let req: Anchor[] | null = [];
  for (const b of branches) {
    exact = exact && b.exact ? dedupe([...exact, ...b.exact]) : null;
    if (exact && exact.length > MAX_SET) exact = null;
    const r = required(b);
    req = req && r ? dedupe([...req, ...r]) : null;
    if (req && req.length > MAX_SET) req = null; // more than a rule may use: no need to go on collecting
  }
  if (branches.length === 1) return branches[0]!;
  return { exact, req };
}

class Parser {
  private at = 0;
  private ci = false;

  constructor(private readonly src: string) {}

  done(): boolean {
    return this.at === this.src.length;
  }

  alternation(): Info {
    const branches = [this.sequence()];
    while (this.src[this.at] === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    return alternation(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return concat(items);
  }

  private quantified(atom: Info): Info {
    let info = atom;
    for (;;) {
      const c = this.src[this.at];
      let min: number;
      let max: number;
      if (c === '*' || c === '+' || c === '?') {
        this.at++;
        min = c === '+' ? 1 : 0;
        max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
      } else if (c === '{') {
        // RE2 reads a count only without leading zeros and of at most 9 digits: `{01}` is text.
        const m = /^\{(0|[1-9]\d{0,8})(,(|0|[1-9]\d{0,8}))?\}/.exec(this.src.slice(this.at));
        if (!m) return info; // a literal `{`: the next atom
        this.at += m[0].length;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      } else return info;
      if (info === FLAGS) throw new Unknown();
      if (this.src[this.at] === '?') this.at++; // lazy: the same strings
      info = repeat(info, min, max);
    }
  }

  private atom(): Info {
    const c = this.src[this.at]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    this.at++;
    if (c === '^' || c === '$') return EMPTY;
    if (c === '.') return ANY;
    return this.char(c);
  }

  private char(c: string): Info {
    if (c.charCodeAt(0) >= 0x80) {
      if (c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) < 0xdc00) this.at++; // a surrogate pair
      return ANY; // non-ASCII: not worth a byte-exact literal
    }
    const letter = /[A-Za-z]/.test(c);
    return { exact: [{ text: this.ci && letter ? c.toLowerCase() : c, ci: this.ci && letter }], req: null };
  }

  private group(): Info {
    this.at++; // (
    const outer = this.ci;
    if (this.src[this.at] === '?') {
      const opening = groupOpening(this.src, this.at);
      if (!opening) throw new Unknown();
      this.at += opening.length;
      if (opening.ci !== undefined) this.ci = opening.ci;
      if (opening.bare) return FLAGS; // (?i): flags for the rest of the enclosing group
    }
    const info = this.alternation();
    if (this.src[this.at] !== ')') throw new Unknown();
    this.at++;
    this.ci = outer;
    return info;
  }

  /** [...]: a few plain ASCII characters make an exact set; anything else matches anything. */
  private charClass(): Info {
    this.at++;
    let negated = false;
    if (this.src[this.at] === '^') {
      this.at++;
      negated = true;
    }
    const chars = new Set<string>();
    let plain = !negated;
    let first = true;
    let rangeEnd = false;
    while (this.at < this.src.length && (this.src[this.at] !== ']' || first)) {
      first = false;
      const inRange = rangeEnd;
      rangeEnd = false;
      let ch: string | null = null;
      if (this.src[this.at] === '\\') {
        const e = this.src[this.at + 1] ?? '';
        if (e === 'x' && /^[0-7][0-9A-Fa-f]/.test(this.src.slice(this.at + 2, this.at + 4))) {
          ch = String.fromCharCode(parseInt(this.src.slice(this.at + 2, this.at + 4), 16));
          this.at += 4;
        } else {
          if (e === 'x' || e === 'p' || e === 'P') throw new Unknown(); // \x{…}, \p{…}: not read here
          ch = e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : /[A-Za-z0-9]/.test(e) ? null : e;
          this.at += 2;
        }
      } else if (!inRange && this.src.startsWith('[:', this.at)) {
        const end = this.src.indexOf(':]', this.at + 2);
        if (end < 0) throw new Unknown();
        this.at = end + 2;
      } else {
        ch = this.src[this.at]!;
        this.at++;
      }
      if (this.src[this.at] === '-' && this.src[this.at + 1] !== ']' && this.at + 1 < this.src.length) {
        plain = false; // a range: many characters (its end is read as one more character)
        this.at++;
        rangeEnd = true; // one character: `[!-[:]` is ! to [ and a colon, no [:…:] class
        continue;
      }
      if (ch === null || ch.charCodeAt(0) >= 0x80) plain = false;
      else chars.add(ch);
    }
    if (this.src[this.at] !== ']') throw new Unknown();
    this.at++;
    if (!plain || chars.size === 0 || chars.size > 8) return ANY;
    const set = [...chars].map((ch) => {
      const letter = /[A-Za-z]/.test(ch);
      return { text: this.ci && letter ? ch.toLowerCase() : ch, ci: this.ci && letter };
    });
    return { exact: dedupe(set), req: null };
  }

  private escape(): Info {
    const c = this.src[this.at + 1];
    if (c === undefined) throw new Unknown();
    this.at += 2;
    if ('bBAzZ'.includes(c)) return EMPTY; // assertions
    if (c === 'x') {
      let code: number;
      if (this.src[this.at] === '{') {
        const end = this.src.indexOf('}', this.at);
        if (end < 0) throw new Unknown();
        code = parseInt(this.src.slice(this.at + 1, end), 16);
        this.at = end + 1;
      } else {
        code = parseInt(this.src.slice(this.at, this.at + 2), 16);
        this.at += 2;
      }
      if (!Number.isFinite(code)) throw new Unknown();
      return code < 0x80 ? this.char(String.fromCharCode(code)) : ANY;
    }
    if (c === 'p' || c === 'P') {
      if (this.src[this.at] === '{') {
        const end = this.src.indexOf('}', this.at);
        if (end < 0) throw new Unknown();
        this.at = end + 1;
      } else this.at += 1;
      return ANY;
    }
    if (c === 'Q') throw new Unknown();
    if (c === 't') return this.char('\t');
    if (c === 'n') return this.char('\n');
    if (c === 'r') return this.char('\r');
    if (/[A-Za-z0-9]/.test(c)) {
      if ('dswDSWfvaC'.includes(c)) return ANY;
      throw new Unknown(); // an escape this reader does not know (or an octal one)
    }
    return this.char(c); // \. \- \/ and the like: the character itself
  }
}

/** x{min,max}: the same strings repeated; past a fixed count, only what one copy requires. */
function repeat(info: Info, min: number, max: number): Info {
  if (min === 0) {
    if (max === 1 && info.exact) {
      const set = dedupe([{ text: '', ci: false }, ...info.exact]);
      return set.length > MAX_SET ? ANY : { exact: set, req: null };
    }
    return ANY;
  }
  if (min === max && info.exact && min <= 4) {
    let run: Anchor[] | null = info.exact;
    for (let i = 1; i < min && run; i++) run = product(run, info.exact);
    if (run) return { exact: run, req: null };
  }
  return { exact: null, req: required(info) };
}
