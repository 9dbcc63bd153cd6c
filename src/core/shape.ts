import { UserError } from '../errors.js';

/**
 * Small readers for untyped data parsed from YAML or JSON (rule files, .secretscanrc).
 * Each names the file and the key path in its error, so a user knows what to fix.
 */
export class Shape {
  constructor(readonly file: string, readonly path: string = '') {}

  at(key: string | number): Shape {
    const p = typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    return new Shape(this.file, p);
  }

  fail(what: string): never {
    throw new UserError(`${this.file}: ${this.path || '(top level)'}: ${what}`);
  }

  object(v: unknown, allowed: readonly string[]): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail('expected a mapping');
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) {
        const where = this.path ? `${this.path}.${k}` : k;
        throw new UserError(`${this.file}: unknown key "${where}" (allowed here: ${allowed.join(', ')})`);
      }
    }
    return obj;
  }

  string(v: unknown): string {
    if (typeof v !== 'string' || v.length === 0) this.fail('expected a non-empty string');
    return v;
  }

  optionalString(v: unknown): string | undefined {
    return v === undefined || v === null ? undefined : this.string(v);
  }

  number(v: unknown, min = -Infinity, max = Infinity): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.fail(`expected a number between ${min} and ${max}`);
    }
    return v;
  }

  boolean(v: unknown): boolean {
    if (typeof v !== 'boolean') this.fail('expected true or false');
    return v;
  }

  oneOf<T extends string>(v: unknown, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(`expected one of ${values.join(', ')}`);
    return v as T;
  }

  strings(v: unknown, { nonEmpty = false } = {}): string[] {
    if (v === undefined || v === null) {
      if (nonEmpty) this.fail('expected a non-empty list of strings');
      return [];
    }
    if (!Array.isArray(v)) this.fail('expected a list of strings');
    if (nonEmpty && v.length === 0) this.fail('expected a non-empty list of strings');
    return v.map((item, i) => this.at(i).string(item));
  }

  list(v: unknown): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail('expected a list');
    return v;
  }
}

/** Parses sizes such as 10MB, 512k, 1048576. */
export function parseSize(v: unknown, shape: Shape): number {
  if (typeof v === 'number' && v > 0) return Math.floor(v);
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(v);
    if (m) {
      const unit = (m[2] ?? 'b').toLowerCase()[0];
      const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
      return Math.floor(Number(m[1]) * mult);
    }
  }
  return shape.fail('expected a size such as 10MB, 512KB or a number of bytes');
}
