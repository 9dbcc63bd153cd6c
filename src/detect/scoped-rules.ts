/** Rules scoped to some files (`paths`): found by the chunk's path first, then by their keywords. */
import { pathMatcher, type CompiledRule } from '../rules/compile.js';
import { literalKey, literalTrigram } from '../rules/prefilter-table.js';
import { LazyLiteralSet } from './literals.js';

/**
 * Their keywords (`://`, `key`, `pass`) are common in code, so they stay out of the prefilter
 * every chunk pays for: a chunk's path is tested first (one test against every glob at once), and
 * only in a file one of them names are the keywords of the rules that apply there looked for.
 */
export class ScopedRules {
  private readonly anyPath: (path: string) => boolean;
  private readonly rules: { id: number; applies: (path: string) => boolean; keywordless: boolean }[] = [];
  /** Per keyword: its key (see literalKey). */
  private readonly keys: string[] = [];
  /** The rule (its index in the detector's list) each literal belongs to. */
  private readonly owner: number[] = [];
  private set?: LazyLiteralSet;

  constructor(rules: CompiledRule[]) {
    this.anyPath = pathMatcher(rules.flatMap((r) => r.spec.paths ?? []));
    rules.forEach((rule, id) => {
      if (!rule.appliesTo) return;
      this.rules.push({ id, applies: rule.appliesTo, keywordless: rule.spec.keywords.length === 0 });
      const exact = rule.spec.keywordCase === 'exact';
      for (const kw of rule.spec.keywords) {
        this.owner.push(id);
        this.keys.push(literalKey(kw, exact));
      }
    });
  }

  /** Adds to `active` the rules that apply at `path` and whose keywords occur in `buf` (each hit to `hit`). */
  run(buf: Buffer, path: string, active: Set<number>, hit: (id: number, at: number) => void): void {
    if (!this.anyPath(path)) return;
    const here = new Set<number>();
    for (const r of this.rules) {
      if (!r.applies(path)) continue;
      if (r.keywordless) active.add(r.id);
      else here.add(r.id);
    }
    if (here.size === 0) return;
    // Built on the first credential file: most scans (a pre-commit hook) never meet one.
    this.set ??= new LazyLiteralSet(this.keys, this.keys.map(literalTrigram));
    this.set.scan(buf, (i, at) => {
      const id = this.owner[i]!;
      if (!here.has(id)) return;
      active.add(id);
      hit(id, at);
    });
  }
}
