// Text from the scanned data (file names, values) made safe for a terminal.

/** Control characters shown escaped (`\x1b`), so a file name cannot rewrite the terminal. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
