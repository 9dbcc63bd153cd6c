// How long a match of an RE2 pattern can be, read off the pattern's syntax, so that a rule can be
// run on windows around its keywords instead of on a whole buffer.

/** No bound: a `*`, `+`, `{n,}`, or syntax this reader does not know. */
const UNBOUNDED = Number.POSITIVE_INFINITY;
/**
 * What an unbounded run of whitespace (`\s*`, `[ \t]+`) counts for. Rules put such runs between
 * a name and its value; a name and a key further apart than this are not paired in a window.
 */
export const WHITESPACE_RUN = 256;

/**
 * The most characters a match of `pattern` can span, or Infinity when the pattern has no bound
 * (a `*`, `+` or `{n,}` anywhere on a path of the match, but on a whitespace class, which counts
 * for WHITESPACE_RUN) or uses syntax this reader does not know.
 * Counted in characters: a character is at most 4 bytes of UTF-8 (also under `(?i)`, where `k`
 * matches the 3-byte Kelvin sign), so `4 *` the result bounds a match in bytes. Assertions (`\b`,
 * `^`, `$`) take no room. Erring towards Infinity is always safe: the rule then runs on the whole buffer.
 */
export function maxMatchChars(pattern: string): number {
  try {
    const parser = new Parser(pattern);
    const n = parser.alternation();
    return parser.done() ? n : UNBOUNDED;
  } catch {
    return UNBOUNDED;
  }
}

class Unknown extends Error {}

/** `\s`, or a class of whitespace only: `[ \t]`, `[\s]`, `[ \t\r\n]`. */
function isWhitespaceClass(atom: string): boolean {
  return atom === '\\s' || /^\[(?:\\[strnfv]| )+\]$/.test(atom);
}

class Parser {
  private at = 0;

  constructor(private readonly src: string) {}

  done(): boolean {
    return this.at === this.src.length;
  }

  /** a|b|c: the longest branch. */
  alternation(): number {
    let best = this.sequence();
    while (this.src[this.at] === '|') {
      this.at++;
      best = Math.max(best, this.sequence());
    }
    return best;
  }

  /** Atoms with their quantifiers, up to `|`, `)` or the end. */
  private sequence(): number {
    let total = 0;
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      const start = this.at;
      const atom = this.atom();
      total += this.quantified(atom, isWhitespaceClass(this.src.slice(start, this.at)));
    }
    return total;
  }

  private quantified(atom: number, whitespace: boolean): number {
    let n = atom;
    const unbounded = whitespace ? WHITESPACE_RUN : UNBOUNDED;
    for (;;) {
      const c = this.src[this.at];
      if (c === '*' || c === '+') {
        this.at++;
        n = n === 0 ? 0 : unbounded;
      } else if (c === '?') {
        this.at++;
      } else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at));
        if (!m) return n; // not a repetition: a literal `{`, the next atom
        this.at += m[0].length;
        const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? unbounded : Number(m[3]);
        n = n === 0 ? 0 : n * max;
      } else return n;
      if (this.src[this.at] === '?') this.at++; // lazy form: same bound
    }
  }

  private atom(): number {
    const c = this.src[this.at]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    this.at++;
    if (c === '^' || c === '$') return 0;
    return 1; // a literal character or `.`
  }

  private group(): number {
    this.at++; // (
    if (this.src[this.at] === '?') {
      const flags = /^\?([imsU-]*)(:|\))/.exec(this.src.slice(this.at));
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(this.src.slice(this.at));
      if (flags) {
        this.at += flags[0].length;
        if (flags[2] === ')') return 0; // (?i): flags for the rest of the group
      } else if (named) {
        this.at += named[0].length;
      } else throw new Unknown();
    }
    const n = this.alternation();
    if (this.src[this.at] !== ')') throw new Unknown();
    this.at++;
    return n;
  }

  /** [...]: one character; skips escapes, POSIX classes and a leading `]` or `^`. */
  private charClass(): number {
    this.at++;
    if (this.src[this.at] === '^') this.at++;
    if (this.src[this.at] === ']') this.at++;
    while (this.at < this.src.length && this.src[this.at] !== ']') {
      if (this.src[this.at] === '\\') this.at += 2;
      else if (this.src.startsWith('[:', this.at)) {
        const end = this.src.indexOf(':]', this.at + 2);
        if (end < 0) throw new Unknown();
        this.at = end + 2;
      } else this.at++;
    }
    if (this.src[this.at] !== ']') throw new Unknown();
    this.at++;
    return 1;
  }

  private escape(): number {
    const c = this.src[this.at + 1];
    if (c === undefined) throw new Unknown();
    this.at += 2;
    if ('bBAzZ'.includes(c)) return 0; // assertions
    if (c === 'x') {
      if (this.src[this.at] === '{') {
        const end = this.src.indexOf('}', this.at);
        if (end < 0) throw new Unknown();
        this.at = end + 1;
      } else this.at += 2;
      return 1;
    }
    if (c === 'p' || c === 'P') {
      if (this.src[this.at] === '{') {
        const end = this.src.indexOf('}', this.at);
        if (end < 0) throw new Unknown();
        this.at = end + 1;
      } else this.at += 1;
      return 1;
    }
    if (c === 'Q') throw new Unknown(); // \Q…\E: rare, not worth reading
    if (/[0-7]/.test(c)) {
      while (/[0-7]/.test(this.src[this.at] ?? '')) this.at++;
      return 1;
    }
    return 1; // \d \w \s \n \t \. and the like: one character
  }
}
