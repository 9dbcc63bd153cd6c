import RE2 from 're2';
import { loadRulesDir } from '../../src/rules/load.js';
import type { RuleSpec } from '../../src/types.js';

/** Every match of every built-in rule's pattern in its own examples and negative examples (what a rule-level property is checked on). */
export function exampleMatches(): { spec: RuleSpec; match: string }[] {
  const out: { spec: RuleSpec; match: string }[] = [];
  for (const spec of loadRulesDir()) {
    const re = new RE2(spec.pattern, 'g');
    for (const text of [...spec.examples, ...spec.negativeExamples]) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) re.lastIndex++;
        out.push({ spec, match: m[0] });
      }
    }
  }
  return out;
}
