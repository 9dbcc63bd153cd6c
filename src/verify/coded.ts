import { postThrough } from '../net/http-post.js';
import type { Verification, VerifySpec } from '../types.js';
import { verifyAwsCredentials } from './aws-sts.js';
import type { Endpoint } from './data-verifier.js';
import type { Send } from '../net/http.js';

/**
 * Verifiers that data cannot express. `aws-sts`: the secret access key, with its partner (the
 * access key id in the same file), signs an STS GetCallerIdentity call.
 */
export async function verifyWithCode(spec: VerifySpec, endpoint: Endpoint, secret: string, partner: string | undefined, send: Send): Promise<Verification> {
  if (spec.code === 'aws-sts') {
    if (!partner) return { status: 'unknown', detail: 'no access key id next to this secret' };
    // Temporary keys need their session token too; without it STS would call a live key dead.
    if (partner.startsWith('ASIA')) return { status: 'unknown', detail: 'temporary credentials (ASIA...) are not verified' };
    const r = await verifyAwsCredentials(
      { accessKeyId: partner, secretAccessKey: secret },
      { endpoint: endpoint.url, post: postThrough(endpoint.userEndpoint, send) },
    );
    const identity = r.account && r.arn ? `account ${r.account}, ARN ${r.arn}` : undefined;
    return { status: r.state, ...(identity ? { identity } : {}), ...(r.network ? { reason: 'network' as const } : {}), detail: r.detail };
  }
  return { status: 'unknown', detail: `no verifier named ${spec.code}` };
}
