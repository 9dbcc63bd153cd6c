/** The AWS account an access key ID names, decoded from the ID offline. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The AWS account an access key ID belongs to, read from the ID itself with no network call.
 * Not documented by AWS (which offers `aws sts get-access-key-info` for this); the layout is
 * from public research (Aidan Steele, "AWS Access Key ID formats", 2020; Tal Be'ery, "A short
 * note on AWS KEY ID", 2023): after the 4-character prefix, base32; of the decoded bytes, the
 * first 48 bits masked with 0x7fffffffff80 and shifted right by 7 are the account number.
 * Keys issued before about 2019 (AKIAI…, AKIAJ…) do not carry it: the first base32 character
 * after the prefix then has its top bit clear, and null is returned.
 */
export function awsAccountFromKeyId(keyId: string): string | null {
  if (!/^(?:AKIA|ASIA)[A-Z2-7]{16}$/.test(keyId)) return null;
  if (BASE32.indexOf(keyId[4]!) < 16) return null;
  let bits = 0n;
  for (const c of keyId.slice(4, 14)) bits = (bits << 5n) | BigInt(BASE32.indexOf(c));
  const first48 = bits >> 2n; // 10 characters are 50 bits
  return ((first48 & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0');
}
