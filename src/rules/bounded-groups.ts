// A faster form of a pattern whose secret is a long counted run: `([^"\s]{8,200})` compiled as
// `([^"\s]{8,})`, with the bound checked on the match instead of by RE2.
//
// Why: RE2 builds its automaton from copies of a counted repetition, and its DFA tracks every
// count a run may have reached. The generic rules hold several `{8,200}` values side by side; on
// 1.1 GB of npm packages `generic-secret-assignment` alone took 1.3 s of RE2 search on the 35k lines
// its gate let through, and 0.45 s with its value runs opened.
//
// Why the result is the same: every match of the exact pattern is a match of the opened one, at
// the same start and with the same priority among parses (greedy and lazy counts order their
// choices alike whether bounded or not). So when the opened pattern's leftmost match has each
// opened group within its bound, that match is a parse of the exact pattern, no exact match can
// start earlier, and the exact pattern's first choice at that start is this one. When a group
// runs past its bound, the exact pattern is asked again from the same place (see Detector.matchRule).
// Only a group that is exactly one repeated character class, outside every repetition, is opened:
// its length in characters is its count.

import { classEnd } from './gate.js';

/** Counts up to this are left as they are: their automaton stays small. */
export const OPEN_FROM = 64;

export interface OpenedPattern {
  /** The pattern with its bounded groups' counts opened. */
  pattern: string;
  /** [capture group number, most characters allowed] for each opened group. */
  bounds: [number, number][];
}

interface Group {
  open: number;
  /** Capture number, 0 for a group that does not capture. */
  index: number;
  close: number;
  repeated: boolean;
}

/** A single atom repeated with a count: a class, a class escape, `.` or a literal character. */
const ATOM = /^(?:\\[dDwWsS]|\\[pP](?:\{[^}]+\}|[A-Za-z])|\.|[^\\()[\]{}|*+?^$])/;
/** What follows the atom: `{m,n}`, maybe lazy, and nothing else (RE2 reads counts of at most 9 digits, no leading zero). */
const COUNT = /^\{(0|[1-9]\d{0,8}),([1-9]\d{0,8})\}\??$/;

/**
 * The pattern with each capture group of the form `(X{m,n})`, n >= OPEN_FROM, opened to
 * `(X{m,})`, and the bounds to check; null when there is nothing to open or the pattern holds
 * syntax this reader does not follow (`\Q…\E`).
 */
export function openBoundedGroups(pattern: string): OpenedPattern | null {
  if (pattern.includes('\\Q')) return null;
  const groups: Group[] = [];
  const stack: Group[] = [];
  let captures = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) return null;
      i = end;
    } else if (c === '(') {
      // A named group, `(?P<name>` or `(?<name>`, captures whatever its name (RE2 takes digits and
      // non-ASCII in names): counting it out would shift every later group's number.
      const named = pattern.startsWith('(?P<', i) || (pattern.startsWith('(?<', i) && pattern[i + 3] !== '=' && pattern[i + 3] !== '!');
      const capturing = pattern[i + 1] !== '?' || named;
      const group: Group = { open: i, index: capturing ? ++captures : 0, close: -1, repeated: false };
      groups.push(group);
      stack.push(group);
    } else if (c === ')') {
      const group = stack.pop();
      if (!group) return null;
      group.close = i;
      const next = pattern[i + 1];
      if (next === '*' || next === '+') group.repeated = true;
      else if (next === '{') {
        const rep = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i + 1, i + 24));
        if (rep && (rep[2] === undefined ? Number(rep[1]) > 1 : rep[3] === '' || Number(rep[3]) > 1)) group.repeated = true;
      }
    }
  }
  if (stack.length > 0) return null;
  const opened: { group: Group; countAt: number; countEnd: number; least: string; most: number }[] = [];
  for (const group of groups) {
    if (group.index === 0) continue;
    const bodyStart = pattern[group.open + 1] === '?' ? pattern.indexOf('>', group.open) + 1 : group.open + 1;
    const body = pattern.slice(bodyStart, group.close);
    let atomEnd: number;
    if (body[0] === '[') {
      const end = classEnd(body, 0);
      if (end < 0) continue;
      atomEnd = end + 1;
    } else {
      const atom = ATOM.exec(body);
      if (!atom) continue;
      atomEnd = atom[0].length;
    }
    const count = COUNT.exec(body.slice(atomEnd));
    if (!count) continue;
    const least = Number(count[1]);
    const most = Number(count[2]);
    if (most < OPEN_FROM || most <= least) continue;
    // A repeated capture, or one inside a repeated group, reports only its last round: its
    // length says nothing of the other rounds.
    if (groups.some((g) => g.repeated && g.open <= group.open && group.close <= g.close)) continue;
    const countAt = bodyStart + atomEnd;
    // The lazy `?`, if any, stays after the opened count.
    opened.push({ group, countAt, countEnd: countAt + count[0].replace(/\?$/, '').length, least: count[1]!, most });
  }
  if (opened.length === 0) return null;
  let out = '';
  let from = 0;
  for (const o of opened.sort((a, b) => a.countAt - b.countAt)) {
    out += `${pattern.slice(from, o.countAt)}{${o.least},}`;
    from = o.countEnd;
  }
  out += pattern.slice(from);
  const bounds = opened.map((o): [number, number] => [o.group.index, o.most]);
  return { pattern: out, bounds: bounds.sort((a, b) => a[0] - b[0]) };
}

/**
 * Whether each opened group of a match holds at most its bound in characters (`indices` as RE2
 * gives them with the `d` flag, byte offsets into `text` when it is a Buffer).
 */
export function withinBounds(bounds: readonly [number, number][], indices: RegExpIndicesArray | undefined, text: Buffer): boolean {
  if (!indices) return true;
  for (const [index, most] of bounds) {
    const span = indices[index];
    if (!span || span[1] - span[0] <= most) continue;
    // Longer in bytes than the bound: count characters (bytes that do not continue a UTF-8 sequence).
    let chars = 0;
    for (let k = span[0]; k < span[1]; k++) if ((text[k]! & 0xc0) !== 0x80) chars++;
    if (chars > most) return false;
  }
  return true;
}
