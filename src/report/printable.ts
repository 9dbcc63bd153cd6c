// Escapes control characters for human-facing output, so no scanned byte can drive the terminal.

/**
 * `s` with every C0 control character, DEL and C1 control (U+0080-U+009F, which some terminals
 * treat as ESC sequences) shown as `\xNN`, and the line and paragraph separators as `\uNNNN`: a
 * file name, commit subject or secret prefix cannot move the cursor, clear the screen, set the
 * window title (OSC) or start a new log line.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
