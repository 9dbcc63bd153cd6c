// Secrets split across string literals joined in one statement, reassembled so rules see them whole.

// JOIN_MARKERS (rules/prefilter-table.ts): the byte sequences that say literals are being joined.
import { JOIN_MARKERS } from '../rules/prefilter-table.js';

/** Statements longer than this (minified code) are not reassembled: bounded work per marker. */
const MAX_STATEMENT = 2000;
const MAX_LINES = 8;
const MAX_PIECES = 16;

const LITERAL = /"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`([^`$\\\n]*)`/g;
/** What may stand between two joined literals. */
const JOINER = /^[ \t\r\n]*(?:\+[ \t\r\n]*|\)[ \t\r\n]*\.[ \t]*(?:append|concat)[ \t]*\([ \t]*|\.[ \t]*concat[ \t]*\([ \t]*)?$/;
const LIST_JOINER = /^[ \t\r\n]*,[ \t\r\n]*$/;
const AFTER_LIST = /^[ \t\r\n]*\][ \t]*\.[ \t]*join[ \t]*\([ \t]*(?:''|"")[ \t]*\)/;
const BEFORE_CONCAT = /concat[ \t]*\([ \t]*$/;
/** A gap of white space alone: a join only where the language concatenates adjacent literals. */
const SPACE_ONLY = /^[ \t\r\n]*$/;
/**
 * Languages where adjacent string literals are one (C and its family, Python, Ruby, D). Elsewhere
 * white space separates values: a shell's `curl --user "u:p" "https://…"` passes two arguments.
 */
const IMPLICIT_CONCAT = /\.(?:c|h|cc|cpp|cxx|hh|hpp|hxx|ino|m|mm|py|pyw|pyi|rb|d)$/i;

/** Whether literals separated by white space alone are joined in the file at `path`. */
export function joinsAdjacentLiterals(path: string | undefined): boolean {
  return path !== undefined && IMPLICIT_CONCAT.test(path);
}

export interface JoinedLiterals {
  /** A stand-in line: the first literal's line with the pieces joined into one quoted literal. */
  text: Buffer;
  /** Where the joined content sits in `text`. */
  contentStart: number;
  contentEnd: number;
  /** Byte range in the scanned buffer, from the first piece's content to the last piece's. */
  start: number;
  end: number;
  /** The pieces' contents: a match inside one of them alone is the direct scan's. */
  pieces: string[];
}

interface Piece {
  start: number;
  end: number;
  content: string;
}

/** The statement around `at`: its line, followed by lines a trailing or leading `+` carries on. */
function statementAround(buf: Buffer, at: number): [number, number] {
  const start = buf.lastIndexOf(10, at - 1) + 1;
  let end = buf.indexOf(10, at);
  if (end === -1) return [start, buf.length];
  for (let lines = 1; lines < MAX_LINES && end < buf.length && end - start < MAX_STATEMENT; lines++) {
    const line = buf.toString('latin1', Math.max(start, end - 40), end).trimEnd();
    let next = buf.indexOf(10, end + 1);
    if (next === -1) next = buf.length;
    const following = buf.toString('latin1', end + 1, Math.min(next, end + 41)).trimStart();
    if (!line.endsWith('+') && !following.startsWith('+') && !following.startsWith('.append(')) break;
    end = next;
  }
  return [start, end];
}

/** Runs of literals whose gaps are joiners, each of two or more pieces. */
function joinedRuns(text: string, adjacent: boolean): Piece[][] {
  const pieces: Piece[] = [];
  for (const m of text.matchAll(LITERAL)) {
    pieces.push({ start: m.index + 1, end: m.index + m[0].length - 1, content: m[1] ?? m[2] ?? m[3] ?? '' });
    if (pieces.length > 4 * MAX_PIECES) break;
  }
  const runs: Piece[][] = [];
  let run: Piece[] = [];
  let listRun = false;
  const close = () => {
    const last = run.at(-1);
    const listOk = !listRun || (last !== undefined && AFTER_LIST.test(text.slice(last.end + 1, last.end + 40)));
    if (run.length >= 2 && listOk) runs.push(run);
    run = [];
    listRun = false;
  };
  for (const piece of pieces) {
    const prev = run.at(-1);
    const gap = prev ? text.slice(prev.end + 1, piece.start - 1) : '';
    const joins = JOINER.test(gap) && (adjacent || !SPACE_ONLY.test(gap));
    if (prev && run.length < MAX_PIECES && (joins || (LIST_JOINER.test(gap) && (listRun || run.length === 1)))) {
      if (LIST_JOINER.test(gap)) {
        const opener = text.slice(Math.max(0, run[0]!.start - 40), run[0]!.start - 1);
        if (!/\[[ \t]*$/.test(opener) && !BEFORE_CONCAT.test(opener)) {
          close();
          run = [piece];
          continue;
        }
        listRun = !BEFORE_CONCAT.test(opener);
      }
      run.push(piece);
    } else {
      close();
      run = [piece];
    }
  }
  close();
  return runs;
}

/**
 * Every run of joined literals in the statements holding `markers` (offsets in `buf`); `adjacent`:
 * literals with only white space between them are joined too (see joinsAdjacentLiterals).
 */
export function joinedLiterals(buf: Buffer, markers: number[], adjacent: boolean): JoinedLiterals[] {
  const out: JoinedLiterals[] = [];
  let lastEnd = -1;
  for (const at of markers) {
    if (at < lastEnd) continue;
    const [from, to] = statementAround(buf, at);
    lastEnd = to;
    if (to - from > MAX_STATEMENT) continue;
    const text = buf.toString('latin1', from, to);
    for (const run of joinedRuns(text, adjacent)) {
      const first = run[0]!;
      const last = run.at(-1)!;
      const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
      const lastLineEnd = text.indexOf('\n', last.end);
      const head = text.slice(lineStart, first.start);
      const content = run.map((p) => p.content).join('');
      const tail = text.slice(last.end, lastLineEnd === -1 ? text.length : lastLineEnd);
      out.push({
        text: Buffer.from(head + content + tail, 'latin1'),
        contentStart: head.length,
        contentEnd: head.length + content.length,
        start: from + first.start,
        end: from + last.end,
        pieces: run.map((p) => p.content),
      });
    }
  }
  return out;
}
