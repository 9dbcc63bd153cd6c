/** Describers: named offline readers a rule declares (`describe:`) to report identifiers carried in a secret. */
import { awsAccountFromKeyId } from './aws-account.js';

/**
 * Reads identifiers out of a secret without any network call, label → value (the label is what
 * reports print before the value). Returns null when the secret carries none. Never returns the
 * secret or a part of it: reports print details unredacted.
 */
export type Describer = (secret: string) => Record<string, string> | null;

export const DESCRIBERS: Readonly<Record<string, Describer>> = {
  /** The AWS account an access key ID (AKIA…, ASIA…) belongs to, for keys issued since about 2019. */
  'aws-account-id': (secret) => {
    const account = awsAccountFromKeyId(secret);
    return account ? { 'AWS account': account } : null;
  },
};

export const DESCRIBER_NAMES = Object.keys(DESCRIBERS);
