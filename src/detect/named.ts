// The provider a generic finding's own name names (TELNYX_API_KEY = "…"), for its revocation guidance.
import type { NamedFor, RuleSpec } from '../types.js';

/**
 * Provider names that are also everyday words of code: a variable holding one (`renderToken`,
 * `closeSecret`) says nothing about a provider.
 */
const COMMON_WORDS = new Set([
  'access', 'admin', 'basic', 'checkout', 'client', 'close', 'cloud', 'column', 'common', 'custom',
  'default', 'float', 'front', 'global', 'linear', 'local', 'loops', 'magnetic', 'manifest', 'master',
  'moderation', 'monday', 'notion', 'parsers', 'password', 'privacy', 'private', 'proxy', 'public',
  'render', 'search', 'secret', 'segment', 'server', 'session', 'shopping', 'signal', 'simple', 'social',
  'square', 'status', 'storage', 'stream', 'ticket', 'together', 'token', 'tracker', 'update', 'upload',
  'weather', 'webhook', 'workflow',
]);

/** Bytes that make up a variable's name, keys and dotted paths included (`TELNYX_API_KEY`, `telnyx.api-key`). */
function isNameByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x2d || b === 0x2e;
}

/** The words of a name, in lower case: split at separators and where lower case turns upper (telnyxApiKey). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * For generic findings: which provider the name they are assigned to names. Only providers with
 * one rule take part (that rule's guidance is then the provider's), by their id or display name
 * written as one word or as up to three consecutive words of the name (`D7_NETWORKS_TOKEN` names
 * d7networks), of five letters or more and not an everyday word of code. A name naming two
 * providers names none.
 */
export class ProviderNames {
  private readonly byName = new Map<string, NamedFor>();

  constructor(rules: readonly RuleSpec[]) {
    const byProvider = new Map<string, RuleSpec[]>();
    for (const r of rules) {
      if (r.fallback || r.partnerOnly || r.provider === 'generic') continue;
      const list = byProvider.get(r.provider);
      if (list) list.push(r);
      else byProvider.set(r.provider, [r]);
    }
    const ambiguous = new Set<string>();
    for (const [provider, list] of byProvider) {
      const rule = list[0]!;
      for (const spelling of [provider, rule.providerName]) {
        const key = spelling.toLowerCase().replace(/[^a-z0-9]/g, '');
        if (key.length < 5 || !/[a-z]/.test(key) || COMMON_WORDS.has(key)) continue;
        const known = this.byName.get(key);
        // A provider of several rules blocks its names: which of its keys this is, the name does not say.
        if (list.length !== 1 || (known && known.provider !== provider)) ambiguous.add(key);
        else this.byName.set(key, { provider, providerName: rule.providerName, rule: rule.id, ruleName: rule.name });
      }
    }
    for (const key of ambiguous) this.byName.delete(key);
  }

  /** The provider named by the name that holds byte `at` of `buf` (at most 80 bytes each way), or null. */
  nameAt(buf: Buffer, at: number): NamedFor | null {
    const from = buf[at] === 0x3c ? at + 1 : at; // <telnyxApiKey>
    let start = from;
    while (start > 0 && from - start < 80 && isNameByte(buf[start - 1]!)) start--;
    let end = from;
    while (end < buf.length && end - from < 80 && isNameByte(buf[end]!)) end++;
    return end > start ? this.named(buf.toString('latin1', start, end)) : null;
  }

  /** The provider a name names, or null (none, or two different ones). */
  named(name: string): NamedFor | null {
    const words = nameWords(name);
    let found: NamedFor | null = null;
    for (let i = 0; i < words.length; i++) {
      let joined = '';
      for (let j = i; j < Math.min(words.length, i + 3); j++) {
        joined += words[j];
        const hit = this.byName.get(joined);
        if (!hit) continue;
        if (found && found.provider !== hit.provider) return null;
        found = hit;
      }
    }
    return found;
  }
}
