/** Maps byte offsets in a buffer to 1-based line and column, built lazily (most chunks have no match). */
export class LineIndex {
  private starts: number[] | null = null;

  constructor(private readonly buf: Buffer) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    let i = this.buf.indexOf(10);
    while (i !== -1) {
      starts.push(i + 1);
      i = this.buf.indexOf(10, i + 1);
    }
    this.starts = starts;
    return starts;
  }

  /**
   * Line (1-based) holding byte `offset`, and the column (1-based) within it in UTF-16 code units,
   * as editors and SARIF count them.
   */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = starts[lo] ?? 0;
    let ascii = true;
    for (let i = lineStart; i < offset; i++) if ((this.buf[i] ?? 0) >= 0x80) { ascii = false; break; }
    const column = ascii ? offset - lineStart : this.buf.toString('utf8', lineStart, offset).length;
    return { line: lo + 1, column: column + 1 };
  }

  /**
   * Text of a line, to look for allow markers in. A very long line (a minified bundle) is cut to
   * its two ends, where trailing comments live, and the stretch around `focus` (a byte offset).
   */
  lineText(line: number, focus?: number, max = 4096): string {
    const starts = this.lineStarts();
    const start = starts[line - 1] ?? 0;
    const next = starts[line];
    let end = next === undefined ? this.buf.length : next - 1;
    if (end > start && this.buf[end - 1] === 13) end--;
    if (end - start <= max) return this.buf.toString('utf8', start, end);
    const q = max / 4;
    const parts = [this.buf.toString('utf8', start, start + q)];
    if (focus !== undefined) parts.push(this.buf.toString('utf8', Math.max(start, focus - q), Math.min(end, focus + q)));
    parts.push(this.buf.toString('utf8', end - q, end));
    return parts.join(' … ');
  }
}
