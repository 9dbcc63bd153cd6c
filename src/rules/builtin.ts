import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSpec } from '../types.js';
import { BUILTIN_RULES_DIR, loadPlaceholderPatterns, loadRulesDir } from './load.js';

/**
 * The shipped rules, read from a JSON bundle that the build writes next to the compiled code.
 * Parsing ~30 YAML files costs ~100 ms, a third of a pre-commit budget; JSON costs ~2 ms.
 * The bundle records each YAML file's size and mtime: an edited rule file makes it stale, and
 * then the YAML is read directly, so a rule edit never goes unseen.
 */
const BUNDLE = fileURLToPath(new URL('../builtin-rules.json', import.meta.url));

interface Bundle {
  stamp: string;
  rules: RuleSpec[];
  placeholders: string[];
}

function stamp(dir: string): string {
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => {
      const st = statSync(path.join(dir, n));
      return `${n}:${st.size}:${st.mtimeMs}`;
    })
    .join('|');
}

export function loadBuiltinRules(): { rules: RuleSpec[]; placeholders: string[] } {
  try {
    const bundle = JSON.parse(readFileSync(BUNDLE, 'utf8')) as Bundle;
    if (bundle.stamp === stamp(BUILTIN_RULES_DIR)) return bundle;
  } catch {
    // no bundle (running from source) or unreadable: fall back to the YAML files
  }
  return { rules: loadRulesDir(), placeholders: loadPlaceholderPatterns() };
}

/** Writes the bundle (run by `npm run build`). Examples stay in the YAML: scans do not need them. */
export function writeBuiltinBundle(): string {
  const rules = loadRulesDir().map((r) => ({ ...r, examples: [], negativeExamples: [] }));
  const bundle: Bundle = { stamp: stamp(BUILTIN_RULES_DIR), rules, placeholders: loadPlaceholderPatterns() };
  writeFileSync(BUNDLE, JSON.stringify(bundle));
  return BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${path.relative(process.cwd(), writeBuiltinBundle())}`);
}
