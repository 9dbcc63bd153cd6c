/**
 * What reports print instead of a secret: a few leading characters (enough to tell keys apart,
 * never enough to use one) and the length. Short secrets show fewer characters.
 */
export function redactSecret(secret: string): string {
  const visible = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, visible)}…(${secret.length} chars)`;
}
