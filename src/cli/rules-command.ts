/** `secretscan rules`: the rules in force, grouped by provider, with counts. */
import type { Argv, CommandModule } from 'yargs';
import { baseConfidence } from '../findings/confidence.js';
import type { RuleSpec } from '../types.js';
import { countLine, summarizeProviders, verifierCount } from '../rules/provider-summary.js';
import { resolveConfig } from './options.js';

interface RulesArgs {
  format: 'text' | 'json';
  config?: string | false;
}

function builder(y: Argv) {
  return y
    .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (--no-config: none)' });
}

export function rulesCommand(): CommandModule<object, RulesArgs> {
  return {
    command: 'rules',
    describe: 'List the rules in force (built-in and from config)',
    builder: builder as unknown as CommandModule<object, RulesArgs>['builder'],
    handler: async (args) => {
      const config = resolveConfig(args.config, process.cwd());
      const { prepareScan } = await import('../scan/engine.js');
      process.stdout.write(listRules(prepareScan(config).rules, args.format));
    },
  };
}

export function listRules(rules: ReadonlyMap<string, RuleSpec>, format: 'text' | 'json'): string {
  const list = [...rules.values()];
  if (format === 'json') {
    return `${JSON.stringify(list.map((r) => ({ id: r.id, name: r.name, provider: r.provider, severity: r.severity, confidence: baseConfidence(r), keywords: r.keywords, source: r.source, ...(r.partnerOnly ? { partner_only: true } : {}), ...(r.tags ? { tags: r.tags } : {}), ...(r.verify ? { verify: `${r.verify.method} ${r.verify.url}` } : {}) })), null, 2)}\n`;
  }
  const summaries = summarizeProviders(list);
  const width = Math.max(...list.map((r) => r.id.length));
  const out: string[] = [];
  for (const s of summaries) {
    const partners = s.partnerOnly.length ? `, ${s.partnerOnly.length} partner-only` : '';
    out.push(`${s.name} (${s.provider}): ${s.rules.length} ${s.rules.length === 1 ? 'rule' : 'rules'}${partners}`);
    for (const r of s.rules) out.push(`  ${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${baseConfidence(r).padEnd(6)}  ${r.name}${r.verify ? '  [--verify]' : ''}`);
    for (const r of s.partnerOnly) out.push(`  ${r.id.padEnd(width)}  ${'-'.padEnd(8)}  ${r.name} (partner-only: never reported, pairs a secret for --verify)`);
  }
  return `${out.join('\n')}\n\n${countLine(summaries)}\n${verifierCount(summaries).rules} of them can be checked live with their provider (--verify): marked [--verify]\n`;
}
