// Whether a generic (keyword + value) match is a literal value or a piece of code, and how strong the evidence is.
import { MINIFIED_LINE, type FileKind } from './file-kind.js';
import { tokensPerChar } from './randomness.js';

/**
 * How strongly the syntax says a generic match is a secret value, for confidence levels:
 * `strong`: a value in a config format or a quoted literal in code, that reads as random;
 * `moderate`: a value whose file kind says little (no name, a commit message);
 * `weak`: a value in docs or generated code (bundles, source maps, .d.ts), kept only because it
 * reads as very random.
 */
export type Evidence = 'strong' | 'moderate' | 'weak';

/**
 * Tokens per character a generic value needs to read as generated rather than written. Measured
 * with bench/randomness.mjs over generated keys of every corpus kind and the 4,881 distinct values
 * after a credential word in /work/noise/node_modules: at 0.45, 99.8% of generated keys are kept
 * and 2.6% of the code values pass (Shannon entropy at a threshold keeping 95% of keys: 97%);
 * at 0.55, 89% of keys are kept and 1.6% of code values pass. Docs and generated code demand more.
 */
export const MIN_TOKENS_PER_CHAR = 0.45;
const STRONG_TOKENS_PER_CHAR = 0.55;

/** Shapes of code that no generated secret takes, whatever its alphabet. */
const CODE_SHAPE = new RegExp(
  [
    String.raw`\$\{|\{\{|#\{|<%|%\(|%[-+ 0#]?\d*[sdifxXu](?![A-Za-z0-9])`, // template and format placeholders
    String.raw`\\[nrtdwsbDWSuxv0]|\(\?[:=!<]|\[\^`, // escapes and regex syntax
    String.raw`\\[<>]|\\\(.*\\[|)]`, // vim and grep regexes: \<word\>, \(a\|b\)
    String.raw`===|!==|&&|\|\||=>|\?\?|\?\.[A-Za-z_$]|::`, // operators
    String.raw`^/\*|\*/$|^//`, // comments
    String.raw`[A-Za-z_]\$\d+\b|\$\d+$`, // bundler-renamed identifiers: ArrowToken$1
    String.raw`^\((?:\.\.\.)?[A-Za-z_$][\w$.]*\)?:?$|^[A-Za-z_$][\w$.]*\)+:?$`, // (word32)  (...args2)  Token):
    String.raw`^%[A-Za-z_]\w*\[`, // macro/format fragments: %repeat[255
    String.raw`^[a-z][\w.+-]*(?::[\w.+-]+){2,}$`, // urn:ietf:params:… and ARN-like names
    String.raw`^/[\w.:-]+(?:/[\w.:{}-]*)+$|^/[\w.-]+:[\w.-]+$`, // URL paths: /v1/accounts:resetPassword
    String.raw`^\d{4}-\d\d-\d\d[T ]\d\d:\d\d`, // timestamps
    String.raw`^(?:[A-Z][A-Za-z0-9]*\|){1,}[A-Z][A-Za-z0-9]*$`, // type unions: Buffer|Uint8Array
    String.raw`\.{3}$`, // elided examples: MGYZLAHX1T5a....
    String.raw`\[-?\d+\]\.`, // index expressions: Jobs[-1].JobId
    String.raw`%[A-Z][A-Z0-9_]{2,}`, // test-suite placeholders: %HOSTIP
    String.raw`%[0-9A-Fa-f]{2}.*%[0-9A-Fa-f]{2}`, // percent-encoded: judged once decoded (see decode.ts)
  ].join('|'),
);

/** `NAME=` / `name:` (YAML's `name: !!str`) / `export NAME=` / `- NAME=` / make's `NAME ?=`, `NAME ::=` opening a line (not `:=`: Go's too), right before the value. */
const CONFIG_LINE = /^[ \t]*(?:export[ \t]+|set[ \t]+|-[ \t]+|ENV[ \t]+|ARG[ \t]+)?["']?[\w.-]+["']?[ \t]*(?:\?=|:{2,3}=|=|:|[ \t])[ \t]*(?:!!str[ \t]+)?["'`]?$/i;
/** `?name=` / `&name=` inside a URL: a query parameter is a literal wherever the URL sits. */
const QUERY_PARAM = /[?&][\w.-]+=$/;
/** `scheme://user:` right before the value (its end is followed by `@host`). */
const URL_USER = /:\/\/[^\s:\/@"'<>]*:$/;
/** An HTTP authentication scheme names what follows as a credential: `Basic <value>`. */
const AUTH_SCHEME = /(?:^|[\s"':])(?:bearer|basic|token)[ \t]+$/i;
/** netrc's `machine h login u password <value>`, or `password <value>` opening a line. */
const NETRC = /(?:^|\s)(?:machine|login|default)\b.*\s(?:password|passwd)[ \t]+$|^[ \t]*(?:password|passwd)[ \t]+$/i;
/** `--flag value` / `-pVALUE` on a command line. */
const CLI_FLAG = /(?:^|[\s"'])-{1,2}[\w-]*(?:[ \t]+|=)?["']?$/;
/** Commands whose argument is a credential: `aws configure set <name> <value>`, `curl -u user:<value>` (the user may be an address). */
const COMMAND = /(?:\baws[ \t]+configure[ \t]+set[ \t]+\S+[ \t]+|(?:-u|--user)[ \t=]*["']?[^\s:"']+["']?[ \t]*:[ \t]*)["']?$/;

/**
 * A config line inside a string: `NAME=` right after a string's opening quote or an escaped line
 * break (`{"app.env": "DB_PASSWORD=…\nDEBUG=0"}`, a user_data script in Terraform state, an env
 * file in a ConfigMap dumped as JSON). The value must end that line: at `\n`, `\r` or the quote.
 */
const ESCAPED_LINE = /(?:\\[nr]|")[ \t]*(?:export[ \t]+)?[A-Za-z_][\w.-]*=$/;

/** Whether the value at buf[…, end) is such a line's whole value (see ESCAPED_LINE). */
function inEscapedLine(before: string, buf: Buffer, end: number): boolean {
  if (!ESCAPED_LINE.test(before)) return false;
  const b = buf[end];
  return b === 0x22 || (b === 0x5c && (buf[end + 1] === 0x6e || buf[end + 1] === 0x72));
}

const QUOTES = new Set([0x22, 0x27, 0x60]);

/** A password's name just before the value: people choose passwords, and may put any character in one. */
const PASSWORD_NAME = /(?:pass(?:word|wd|phrase)?|pwd)[\w.-]{0,20}["'`\]]{0,2}[^\w]{0,12}$/i;

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The offset of the first byte from `at` on, stepping by `step`, that is not white space (at most 200 bytes on). */
function skipSpace(buf: Buffer, at: number, step: 1 | -1): number {
  for (let n = 0; n < 200 && at >= 0 && at < buf.length; n++, at += step) {
    const b = buf[at]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return at;
  }
  return at;
}

export interface GenericValue {
  buf: Buffer;
  /** Byte range of the captured value. */
  start: number;
  end: number;
  secret: string;
  kind: FileKind;
}

/**
 * Whether the value sits inside a string literal: between matching quotes (plain, or
 * backslash-escaped as in JSON-in-JSON), or closed by a quote that an odd count of the same
 * quote opened earlier on the line (`'token <value>'`, `"https://…?key=<value>"`).
 */
function quoted(buf: Buffer, start: number, end: number, before: string): boolean {
  const open = buf[start - 1];
  if (open !== undefined && QUOTES.has(open)) {
    if (buf[end] === open) return true;
    if (buf[start - 2] === 0x5c && buf[end] === 0x5c && buf[end + 1] === open) return true;
  }
  const close = buf[end];
  if (close === undefined || !QUOTES.has(close)) return false;
  let count = 0;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === close && before.charCodeAt(i - 1) !== 0x5c) count++;
  return count % 2 === 1;
}

/**
 * The evidence a generic match stands on, or null when it is code rather than a literal value:
 * an identifier, a member expression, a call, an operator, a regex or format fragment, a URL path
 * or template placeholder; a bare word in code; anything but a very random string in generated
 * code and docs.
 */
export function judgeGenericValue({ buf, start, end, secret, kind }: GenericValue): Evidence | null {
  if (CODE_SHAPE.test(secret)) return null;
  const lineStart = buf.lastIndexOf(10, start - 1) + 1;
  let lineEnd = buf.indexOf(10, end);
  if (lineEnd === -1) lineEnd = buf.length;
  const effective: FileKind = lineEnd - lineStart > MINIFIED_LINE ? 'generated' : kind;
  const before = buf.toString('latin1', Math.max(lineStart, start - 200), start);
  // A generated token, key or secret is URL-safe: it travels in headers and query strings, where
  // `?` opens a query. A `?` inside the value says it is a fragment of something else (a URL, a
  // mangled sample), unless a person chose it: a password may hold any character.
  if (secret.indexOf('?', 1) !== -1 && !PASSWORD_NAME.test(before)) return null;
  const isQuoted = quoted(buf, start, end, before);
  // XML text (`<password>v</password>`, or the value on a line of its own between the tags) is a
  // value as much as a quoted string is.
  const xmlText = buf[skipSpace(buf, start - 1, -1)] === 0x3e && buf[skipSpace(buf, end, 1)] === 0x3c;
  // A password in a URL's userinfo (scheme://user:<value>@host) is part of a URL literal.
  const userinfo = buf[end] === 0x40 && URL_USER.test(before);
  const inQuery = QUERY_PARAM.test(before) || AUTH_SCHEME.test(before) || xmlText || userinfo;
  // A percent-escaped value (pass%3Bword in a URL) reads as what it encodes.
  const ratio = tokensPerChar(/%[0-9A-Fa-f]{2}/.test(secret) ? percentDecoded(secret) : secret);
  if (ratio < MIN_TOKENS_PER_CHAR) return null;

  switch (effective) {
    case 'generated':
    case 'docs':
      // Bundles and source maps hold every identifier of a program in strings; docs hold examples.
      return (isQuoted || inQuery || effective === 'docs') && secret.length >= 12 && ratio >= STRONG_TOKENS_PER_CHAR ? 'weak' : null;
    case 'code':
      // In a programming language a literal is quoted; a bare word is an identifier or an expression.
      if (isQuoted || inQuery) return 'strong';
      // A line of an env file held in a string literal ("DB_PASSWORD=…\n…").
      if (inEscapedLine(before, buf, end)) return 'strong';
      return null;
    case 'config':
      return 'strong';
    case 'unknown':
      if (isQuoted || inQuery || CONFIG_LINE.test(before) || NETRC.test(before) || CLI_FLAG.test(before) || COMMAND.test(before)) return 'moderate';
      if (inEscapedLine(before, buf, end)) return 'moderate';
      return null;
  }
}
