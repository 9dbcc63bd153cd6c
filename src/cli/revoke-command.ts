// `secretscan revoke`: leaked tokens of the providers whose rules have a revoke: block (GitHub, Slack), revoked through their APIs after asking.
import { createInterface } from 'node:readline/promises';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { fromReadReport, fromScan, type LeakedToken } from '../revoke/findings.js';
import { readReportFindings } from '../report/read-json.js';
import type { Post } from '../net/http-post.js';
import { planRevocation, revocableProviders, revokeGroups } from '../revoke/revokers.js';
import type { RevocableToken } from '../revoke/types.js';
import type { Config } from '../config/config.js';
import { buildRuleSet } from '../config/ruleset.js';
import type { RuleSpec } from '../types.js';
import { resolveConfig } from './options.js';

interface RevokeArgs {
  path?: string;
  report?: string;
  yes: boolean;
  config?: string | false;
  ignore: boolean;
}

/**
 * Exit codes: 0 every revocable token was revoked (or was already dead, or there was none);
 * 1 at least one revocation failed, or the user answered no; 2 bad input, a redacted report,
 * or no TTY to confirm on and no --yes.
 */
export const REVOKE_EXIT = { done: 0, failed: 1, usage: 2 } as const;

function builder(y: Argv) {
  return y
    .positional('path', { type: 'string', describe: 'Directory or file to scan for tokens to revoke (default: .)' })
    .option('report', { alias: 'r', type: 'string', describe: 'Revoke the findings of a JSON report written with --format json --show-secrets' })
    .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Revoke without asking (needed when stdin is not a terminal)' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (endpoint overrides: verify.endpoints.github-revoke, verify.endpoints.slack-revoke)' })
    .option('ignore', { type: 'boolean', default: true, describe: 'Honour .gitignore when scanning (--no-ignore scans ignored files too)' })
    .conflicts('report', 'path');
}

async function collect(args: RevokeArgs, config: Config): Promise<{ tokens: LeakedToken[]; rules: ReadonlyMap<string, RuleSpec> }> {
  if (args.report) return { tokens: fromReadReport(readReportFindings(args.report, 'pass a report written with --format json --show-secrets'), args.report), rules: new Map(buildRuleSet(config).rules.map((r) => [r.id, r])) };
  const { prepareScan } = await import('../scan/engine.js');
  const { scanDirectory } = await import('../scan/directory.js');
  const setup = prepareScan(config);
  const result = await scanDirectory(args.path ?? '.', setup, { gitignore: args.ignore });
  return { tokens: fromScan(result.findings, (id) => setup.rules.get(id)?.revocation), rules: setup.rules };
}

/** The same secret found twice (two rules, two reports) is revoked once. */
function unique(tokens: LeakedToken[]): LeakedToken[] {
  const seen = new Set<string>();
  return tokens.filter((t) => (seen.has(t.secret) ? false : (seen.add(t.secret), true)));
}

function line(t: RevocableToken): string {
  return `${t.ruleName}  ${t.redacted}  (${t.where})`;
}

async function confirm(count: number): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Revoke ${count === 1 ? 'this token' : `these ${count} tokens`}? This cannot be undone. [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function runRevoke(args: RevokeArgs, post?: Post): Promise<number> {
  const config = resolveConfig(args.config, args.report ? process.cwd() : (args.path ?? '.'));
  const { tokens, rules } = await collect(args, config);
  const { revocable, manual, groups } = planRevocation(unique(tokens), rules);
  const out = process.stdout;

  if (manual.length > 0) {
    out.write(`${manual.length} finding${manual.length === 1 ? '' : 's'} secretscan cannot revoke; revoke by hand as the guidance says:\n`);
    for (const t of manual) out.write(`  ${line(t)}\n    → ${t.guidance}\n`);
  }
  if (revocable.length === 0) {
    out.write(`No token that secretscan can revoke (${revocableProviders(rules)} tokens) was found.\n`);
    return REVOKE_EXIT.done;
  }
  out.write(`Will revoke ${revocable.length} token${revocable.length === 1 ? '' : 's'}:\n`);
  for (const t of revocable) out.write(`  ${line(t)}\n`);

  if (!args.yes) {
    if (!process.stdin.isTTY) {
      throw new UserError('revoke needs confirmation, and standard input is not a terminal', 'check the list above, then run again with --yes');
    }
    if (!(await confirm(revocable.length))) {
      out.write('Nothing revoked.\n');
      return REVOKE_EXIT.failed;
    }
  }

  const outcomes = await revokeGroups(groups, config.verifyEndpoints, post);
  for (const o of outcomes) out.write(`${o.status.padEnd(15)} ${line(o.token)}: ${o.detail}\n`);
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const revoked = outcomes.filter((o) => o.status === 'revoked').length;
  const dead = outcomes.length - failed - revoked;
  out.write(`${revoked} revoked, ${dead} already invalid, ${failed} failed.\n`);
  return failed > 0 ? REVOKE_EXIT.failed : REVOKE_EXIT.done;
}

/** `secretscan revoke [path] | --report r.json`: kill leaked GitHub and Slack tokens at the source. */
export function revokeCommand(setExitCode: (code: number) => void): CommandModule<object, RevokeArgs> {
  return {
    command: 'revoke [path]',
    describe: 'Revoke leaked GitHub and Slack tokens through the providers\' APIs (asks first; --yes to skip)',
    builder: builder as unknown as CommandModule<object, RevokeArgs>['builder'],
    handler: async (args) => setExitCode(await runRevoke(args)),
  };
}
