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
  return measure(pattern, false);
}

/**
 * The most bytes of UTF-8 a match of `pattern` can span (Infinity as for maxMatchChars): each atom
 * counts the longest character it can match. An ASCII literal or class is 1 byte, but 3 under
 * `(?i)` when it holds a letter (RE2 folds k to the Kelvin sign, s to the long s); `.`, a negated
 * class, `\W`, `\D`, `\S` and `\p{…}` are 4; a non-ASCII literal is its own length.
 */
export function maxMatchBytes(pattern: string): number {
  return measure(pattern, true);
}

function measure(pattern: string, bytes: boolean): number {
  try {
    const parser = new Parser(pattern, bytes);
    const n = parser.alternation();
    return parser.done() ? n : UNBOUNDED;
  } catch {
    return UNBOUNDED;
  }
}

/** UTF-8 length of a code point. */
function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

class Unknown extends Error {}

/**
 * What follows a `(` at `at` when it starts with `?`: inline flags, alone (`(?i)`, which sets
 * them for the rest of the enclosing group) or opening a group (`(?i:`), or a name
 * (`(?P<name>`, `(?<name>`). `length` counts from the `?`; `ci` is what the flags do to case
 * (true: (?i), false: (?-i), undefined: nothing). Null for any other `(?` (lookaround, which RE2
 * refuses). Shared by the readers of match lengths and of anchors (src/rules/anchors.ts).
 */
export function groupOpening(src: string, at: number): { length: number; ci?: boolean; bare: boolean } | null {
  const rest = src.slice(at, at + 64);
  const flags = /^\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
  if (flags) {
    const ci = flags[2]?.includes('i') ? false : flags[1]!.includes('i') ? true : undefined;
    return { length: flags[0].length, ...(ci !== undefined ? { ci } : {}), bare: flags[3] === ')' };
  }
  const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
  return named ? { length: named[0].length, bare: false } : null;
}

/** Whether a class body (between [ and ]) may hold an ASCII letter: one written, a range over one (!-~), \w, a POSIX letter class. */
function classHasLetter(body: string): boolean {
  if (/\\[wW]|\[:(?:alpha|alnum|upper|lower|word):\]/.test(body)) return true;
  const plain = body.replace(/\\[dsnrtfv]/g, '').replace(/\\(.)/g, '$1');
  for (let i = 0; i < plain.length; i++) {
    const a = plain.charCodeAt(i);
    if (plain[i + 1] === '-' && i + 2 < plain.length) {
      const b = plain.charCodeAt(i + 2);
      if (a <= 122 && b >= 65 && !(b < 97 && a > 90 && b > 90 && a < 97) && !(b < 65 || a > 122) && (Math.max(a, 65) <= Math.min(b, 90) || Math.max(a, 97) <= Math.min(b, 122))) return true;
      i += 2;
      continue;
    }
    if ((a >= 65 && a <= 90) || (a >= 97 && a <= 122)) return true;
  }
  return false;
}

/** `\s`, or a class of whitespace only: `[ \t]`, `[\s]`, `[ \t\r\n]`. */
function isWhitespaceClass(atom: string): boolean {
  return atom === '\\s' || /^\[(?:\\[strnfv]| )+\]$/.test(atom);
}

class Parser {
  private at = 0;
  /** Under (?i): letters may match multi-byte case variants. */
  private ci = false;

  constructor(
    private readonly src: string,
    private readonly bytes: boolean,
  ) {}

  /** Width of one character an ASCII-only atom matches (letters fold under (?i)). */
  private ascii(hasLetter: boolean): number {
    return this.bytes ? (this.ci && hasLetter ? 3 : 1) : 1;
  }

  private wide(): number {
    return this.bytes ? 4 : 1;
  }

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
        // RE2 reads a count only without leading zeros and of at most 9 digits: `{01}` is text.
        const m = /^\{(0|[1-9]\d{0,8})(,(|0|[1-9]\d{0,8}))?\}/.exec(this.src.slice(this.at));
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
    if (c === '.') return this.wide();
    const code = c.codePointAt(0)!;
    if (code > 0xffff) this.at++; // the second half of a surrogate pair
    if (code >= 0x80) return this.bytes ? utf8Length(code) : 1;
    return this.ascii(/[A-Za-z]/.test(c)); // a literal character
  }

  private group(): number {
    this.at++; // (
    const outer = this.ci;
    if (this.src[this.at] === '?') {
      const opening = groupOpening(this.src, this.at);
      if (!opening) throw new Unknown();
      this.at += opening.length;
      if (opening.ci !== undefined) this.ci = opening.ci;
      // (?i): flags for the rest of the enclosing group. RE2 applies a repetition after it to
      // what came before (`ab(?i){3}` is `ab{3}`): not read here.
      if (opening.bare) {
        if (/^(?:[*+?]|\{\d)/.test(this.src.slice(this.at))) throw new Unknown();
        return 0;
      }
    }
    const n = this.alternation();
    if (this.src[this.at] !== ')') throw new Unknown();
    this.at++;
    this.ci = outer;
    return n;
  }

  /** [...]: one character; skips escapes, POSIX classes and a leading `]` or `^`. */
  private charClass(): number {
    this.at++;
    let wide = false;
    if (this.src[this.at] === '^') {
      this.at++;
      wide = true; // a negated class holds every non-ASCII character
    }
    const start = this.at;
    if (this.src[this.at] === ']') this.at++;
    let rangeEnd = false;
    while (this.at < this.src.length && this.src[this.at] !== ']') {
      const inRange = rangeEnd;
      rangeEnd = false;
      if (this.src[this.at] === '\\') {
        const e = this.src[this.at + 1] ?? '';
        if ('pPWDS'.includes(e)) wide = true;
        if (e === 'x' && !/^[0-7][0-9A-Fa-f]/.test(this.src.slice(this.at + 2, this.at + 4))) wide = true; // \x80 and up, \x{…}
        this.at += 2;
      } else if (!inRange && this.src.startsWith('[:', this.at)) {
        const end = this.src.indexOf(':]', this.at + 2);
        if (end < 0) throw new Unknown();
        if (this.src[this.at + 2] === '^') wide = true; // [:^digit:] holds every non-ASCII character
        this.at = end + 2;
      } else {
        if (this.src.charCodeAt(this.at) >= 0x80) wide = true;
        this.at++;
      }
      // A range ends at one character: `[!-[:]` is ! to [ and a colon, no [:…:] class.
      if (!inRange && this.src[this.at] === '-' && this.src[this.at + 1] !== ']') {
        this.at++;
        rangeEnd = true;
      }
    }
    if (this.src[this.at] !== ']') throw new Unknown();
    const body = this.src.slice(start, this.at);
    this.at++;
    if (wide) return this.wide();
    return this.ascii(classHasLetter(body));
  }

  private escape(): number {
    const c = this.src[this.at + 1];
    if (c === undefined) throw new Unknown();
    this.at += 2;
    if ('bBAzZ'.includes(c)) return 0; // assertions
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
      return code >= 0x80 ? (this.bytes ? utf8Length(code) : 1) : this.ascii(/[A-Za-z]/.test(String.fromCharCode(code)));
    }
    if (c === 'p' || c === 'P') {
      if (this.src[this.at] === '{') {
        const end = this.src.indexOf('}', this.at);
        if (end < 0) throw new Unknown();
        this.at = end + 1;
      } else this.at += 1;
      return this.wide();
    }
    if (c === 'Q') throw new Unknown(); // \Q…\E: rare, not worth reading
    if ('WDS'.includes(c)) return this.wide();
    if (/[0-7]/.test(c)) {
      let digits = c;
      while (/[0-7]/.test(this.src[this.at] ?? '')) digits += this.src[this.at++];
      const code = parseInt(digits, 8);
      return code >= 0x80 ? (this.bytes ? utf8Length(code) : 1) : this.ascii(false);
    }
    if (c === 'w') return this.ascii(true);
    if (/[A-Za-z]/.test(c) && !'dsntrfvaC'.includes(c)) throw new Unknown(); // an escape this reader does not know
    return this.ascii(false); // \d \s \n \t \. and the like: one ASCII character
  }
}
