import { crypto } from './builtins.js';
import { UserError } from '../errors.js';

/** One part of a scan split over several machines: shard `index` (1-based) of `total`. */
export interface Shard {
  index: number;
  total: number;
}

/** Environment variable Kubernetes sets in each pod of an Indexed Job: 0, 1, … completions-1. */
export const K8S_INDEX_VAR = 'JOB_COMPLETION_INDEX';
/** Where `--shard auto` reads the number of shards when `--shard-total` is not given. */
export const SHARD_TOTAL_VAR = 'SECRETSCAN_SHARD_TOTAL';

const HINT = 'use --shard K/N with 1 <= K <= N, e.g. --shard 2/4, or --shard auto in a Kubernetes Indexed Job';

function positiveInt(text: string): number | null {
  return /^[0-9]+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}

/**
 * Parses `--shard K/N`, or `--shard auto`: K from JOB_COMPLETION_INDEX (0-based, so K = index + 1)
 * and N from `--shard-total` or SECRETSCAN_SHARD_TOTAL, since Kubernetes does not tell a pod how
 * many completions its Job has.
 */
export function parseShard(text: string, totalFlag: number | undefined, env: NodeJS.ProcessEnv): Shard {
  if (text === 'auto') {
    const rawIndex = env[K8S_INDEX_VAR];
    if (rawIndex === undefined || rawIndex === '') {
      throw new UserError(`--shard auto needs ${K8S_INDEX_VAR}, which Kubernetes sets in the pods of an Indexed Job (completionMode: Indexed)`, 'outside Kubernetes, use --shard K/N');
    }
    const rawTotal = totalFlag !== undefined ? String(totalFlag) : env[SHARD_TOTAL_VAR];
    if (rawTotal === undefined || rawTotal === '') {
      throw new UserError(`--shard auto needs the number of shards: pass --shard-total N or set ${SHARD_TOTAL_VAR}`, 'use the Job\'s completions count');
    }
    const total = positiveInt(rawTotal);
    if (total === null) throw new UserError(`bad shard total "${rawTotal}": expected a whole number of 1 or more`, 'use the Job\'s completions count');
    const zeroBased = /^[0-9]+$/.test(rawIndex) ? Number(rawIndex) : NaN;
    if (!(zeroBased < total)) {
      throw new UserError(`${K8S_INDEX_VAR}=${rawIndex} does not name one of ${total} shards (expected 0 to ${total - 1})`, 'set --shard-total to the Job\'s completions count');
    }
    return { index: zeroBased + 1, total };
  }
  if (totalFlag !== undefined) throw new UserError('--shard-total goes with --shard auto only', 'with --shard K/N the total is N');
  const m = /^([^/]*)\/([^/]*)$/.exec(text);
  const index = m ? positiveInt(m[1]!) : null;
  const total = m ? positiveInt(m[2]!) : null;
  if (index === null || total === null) throw new UserError(`bad --shard "${text}": expected K/N with whole numbers`, HINT);
  if (index > total) throw new UserError(`bad --shard "${text}": shard ${index} of ${total} does not exist`, HINT);
  return { index, total };
}

/**
 * Whether the item named `key` (a relative path, a blob id, a layer entry) belongs to `shard`.
 * A hash, not an order: the same item lands in the same shard on every machine and every run,
 * whatever else the target holds, and shards come out about the same size.
 */
export function inShard(shard: Shard | undefined, key: string): boolean {
  if (!shard || shard.total === 1) return true;
  return crypto().createHash('sha256').update(key).digest().readUInt32BE(0) % shard.total === shard.index - 1;
}
