// Random strings matching a simple regex (the subset gitleaks' sample generators use), seeded so
// that two runs of the cross-check see the same samples.

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const WORD = `${UPPER}${LOWER}${DIGITS}_`;
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const POSIX = {
  alnum: UPPER + LOWER + DIGITS, alpha: UPPER + LOWER, digit: DIGITS, xdigit: `${DIGITS}abcdefABCDEF`,
  lower: LOWER, upper: UPPER, word: WORD, punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};
/** How many extra repetitions an unbounded quantifier (`*`, `+`, `{n,}`) adds at most. */
const UNBOUNDED_EXTRA = 8;

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function escapeClass(c) {
  switch (c) {
    case 'd': return DIGITS;
    case 'w': return WORD;
    case 's': return ' ';
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    default: return c;
  }
}

/** Parses a regex into nodes: {alt: [[node…]…]} | {set: string} | {lit: string} with {min,max}. */
function parse(src) {
  let i = 0;
  function parseAlt() {
    const branches = [[]];
    while (i < src.length && src[i] !== ')') {
      if (src[i] === '|') { i++; branches.push([]); continue; }
      const atom = parseAtom();
      if (atom) branches[branches.length - 1].push(parseQuantifier(atom));
    }
    return { alt: branches };
  }
  function parseQuantifier(atom) {
    const c = src[i];
    let min = 1;
    let max = 1;
    if (c === '*') { min = 0; max = UNBOUNDED_EXTRA; i++; } else if (c === '+') { min = 1; max = 1 + UNBOUNDED_EXTRA; i++; } else if (c === '?') { min = 0; max = 1; i++; } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? min + UNBOUNDED_EXTRA : Number(m[3]);
        i += m[0].length;
      } else return { ...atom, min, max };
    } else return { ...atom, min, max };
    if (src[i] === '?' || src[i] === '+') i++; // lazy or possessive: same strings
    return { ...atom, min, max };
  }
  function parseAtom() {
    const c = src[i];
    if (c === '(') {
      i++;
      if (src[i] === '?') {
        const flags = /^\?[a-zA-Z]*(:|\))/.exec(src.slice(i));
        if (!flags) throw new Error(`unsupported group in ${src}`);
        i += flags[0].length;
        if (flags[1] === ')') return null; // (?i): a flag, no text
      }
      const node = parseAlt();
      if (src[i] !== ')') throw new Error(`unbalanced ( in ${src}`);
      i++;
      return node;
    }
    if (c === '[') return { set: parseClass() };
    if (c === '\\') {
      const e = src[i + 1];
      i += 2;
      if (e === 'b' || e === 'B' || e === 'A' || e === 'z') return null;
      if (e === 'x') { const h = src.slice(i, i + 2); i += 2; return { lit: String.fromCharCode(parseInt(h, 16)) }; }
      const set = escapeClass(e);
      return set.length > 1 ? { set } : { lit: set };
    }
    if (c === '^' || c === '$') { i++; return null; }
    if (c === '.') { i++; return { set: UPPER + LOWER + DIGITS }; }
    i++;
    return { lit: c };
  }
  function parseClass() {
    i++;
    let negate = false;
    if (src[i] === '^') { negate = true; i++; }
    let chars = '';
    let first = true;
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      const posix = /^\[:([a-z]+):\]/.exec(src.slice(i));
      if (posix) { chars += POSIX[posix[1]] ?? ''; i += posix[0].length; continue; }
      let c = src[i++];
      if (c === '\\') { c = escapeClass(src[i++]); if (c.length > 1) { chars += c; continue; } }
      if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        let end = src[i + 1];
        i += 2;
        if (end === '\\') end = src[i++];
        for (let k = c.charCodeAt(0); k <= end.charCodeAt(0); k++) chars += String.fromCharCode(k);
      } else chars += c;
    }
    i++;
    if (negate) return [...PRINTABLE].filter((ch) => !chars.includes(ch)).join('');
    return [...new Set(chars)].join('');
  }
  const tree = parseAlt();
  if (i < src.length) throw new Error(`unbalanced ) in ${src}`);
  return tree;
}

function emit(node, rand, out) {
  const count = node.min === undefined ? 1 : node.min + Math.floor(rand() * (node.max - node.min + 1));
  for (let n = 0; n < count; n++) {
    if (node.lit !== undefined) out.push(node.lit);
    else if (node.set !== undefined) out.push(node.set[Math.floor(rand() * node.set.length)] ?? '');
    else {
      const branch = node.alt[Math.floor(rand() * node.alt.length)];
      for (const child of branch) emit(child, rand, out);
    }
  }
}

/** A random string that the regex `src` matches (for the subset of syntax parse() knows). */
export function generateFromRegex(src, rand) {
  const out = [];
  emit(parse(src), rand, out);
  return out.join('');
}
