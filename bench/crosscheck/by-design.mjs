// Cross-check: true-positive samples that no provider rule names *by design*, each with the reason,
// so the script can print the raw rate and the rate without them side by side. Every class is
// decided by looking at the sample's value itself (a checksum that fails, a public-key prefix),
// never by the sample's group name alone: a real key of the same provider in the same spot is
// still counted as a miss. One class (format-not-issued) reads the provider's documented key format
// from formats/*.json, chosen by the sample's trufflehog detector or gitleaks rule generator; the
// value alone still decides: a value of that format is never excluded.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const formatsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'formats');

/**
 * The documented key formats, one file per provider: `detectors` (trufflehog detector folders)
 * and/or `gitleaks` (gitleaks rule generators as `file:Function`, e.g. `aws:AmazonBedrockAPIKeyShortLived`:
 * every sample of that function is meant to be this one key type), `format` (a JavaScript regex
 * every key the provider issues contains, with its own boundaries), `says` (the format in words)
 * and `source` (the provider's page that documents it).
 */
export function documentedFormats(dir = formatsDir) {
  const out = new Map();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const f = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    for (const key of ['format', 'says', 'source']) {
      if (!f[key] || typeof f[key] !== 'string') throw new Error(`${name}: missing or bad "${key}"`);
    }
    for (const key of ['detectors', 'gitleaks']) {
      if (f[key] !== undefined && !Array.isArray(f[key])) throw new Error(`${name}: bad "${key}"`);
    }
    if (!f.detectors?.length && !f.gitleaks?.length) throw new Error(`${name}: needs "detectors" or "gitleaks"`);
    if (f.gitleaks?.some((g) => !/^[\w-]+:\w+$/.test(g))) throw new Error(`${name}: "gitleaks" entries are file:Function`);
    if (!/^https:\/\//.test(f.source)) throw new Error(`${name}: "source" must be the provider's https page`);
    const entry = { file: name, re: new RegExp(f.format), says: f.says, source: f.source };
    // trufflehog detectors by folder name, gitleaks generators as `gitleaks:file:Function`
    for (const d of [...(f.detectors ?? []), ...(f.gitleaks ?? []).map((g) => `gitleaks:${g}`)]) {
      if (out.has(d)) throw new Error(`${name}: ${d} also in ${out.get(d).file}`);
      out.set(d, entry);
    }
  }
  return out;
}

/**
 * Each class: an id, the reason printed, and a test on the sample text. `validators` are
 * secretscan's own offline checks (dist/rules/validators.js), `placeholder` its shared
 * placeholder test; a class whose test needs them gets them as arguments.
 */
export function byDesignClasses({ validators, isPlaceholder, jwtSignedWithPublicKey, formats = documentedFormats() }) {
  const every = (re, text, test) => {
    const found = [...text.matchAll(re)].map((m) => m[1]);
    return found.length > 0 && found.every(test);
  };
  return [
    {
      id: 'checksum-invalid',
      reason: 'CRC32 checksum fails: GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens end in a CRC32 of their random part; a token whose checksum does not hold was never issued',
      test: (t) => every(/(?:^|[^0-9A-Za-z_])((?:gh[pousr]|npm)_[0-9A-Za-z]{36})(?![0-9A-Za-z])/g, t, (s) => !validators['crc32-base62'](s)),
    },
    {
      id: 'published-emulator-key',
      reason: "Microsoft's published emulator keys (Azurite's devstoreaccount1 key, the Azure Cosmos DB emulator's key): printed in Microsoft's docs and the same on every machine, they open only a local emulator (learn.microsoft.com/azure/storage/common/storage-use-azurite, learn.microsoft.com/azure/cosmos-db/emulator)",
      test: (t) => /Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq\/K1SZFPTOtr\/KBHBeksoGMGw==|C2y6yDjf5\/R\+ob0N8A7Cgv30VRDJIWEHLM\+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw\/Jw==/.test(t)
        && ![...t.matchAll(/[A-Za-z0-9+\/]{86}==/g)].some((m) => !/^(?:Eby8vdM02|C2y6yDjf5)/.test(m[0])),
    },
    {
      id: 'macaroon-invalid',
      reason: 'PyPI tokens are base64url v2 macaroons; this body does not decode to one',
      test: (t) => every(/\b(pypi-[0-9A-Za-z_-]{50,})/g, t, (s) => !validators['pypi-macaroon'](s)),
    },
    {
      id: 'routable-invalid',
      reason: 'GitLab token with a routable-style tail (.NN…) whose length holder or base36 CRC32 does not hold',
      test: (t) => every(/(?:^|[^0-9A-Za-z_])(gl[a-z]{2,6}-[0-9A-Za-z_-]{20,300}\.[0-9a-z.]{9,12})/g, t, (s) => !validators['gitlab-routable'](s)),
    },
    {
      id: 'demo-signed-jwt',
      reason: "a JWT whose HMAC signature holds under a published sample key (jwt.io's your-256-bit-secret, PyJWT's secret, jsonwebtoken's shhhhh): a documentation token anyone can mint again",
      test: (t) => every(/\b(eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{4,}\.[0-9A-Za-z_-]{16,})/g, t, (s) => jwtSignedWithPublicKey(s)),
    },
    {
      id: 'not-a-jwt',
      reason: "starts with 'ey' but its segments do not decode to a JSON header with an alg field and a JSON payload (not a JWT)",
      test: (t) => every(/\b(ey[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_.-]{8,})/g, t, (s) => !validators.jwt(s)),
    },
    {
      id: 'unsigned-jwt',
      reason: 'a JWT with alg "none" and an empty signature: anyone can mint it, so it proves nothing and there is nothing to revoke',
      test: (t) => [...t.matchAll(/\b(eyJ[0-9A-Za-z_-]{8,})\.([0-9A-Za-z_-]{4,})\.(?![0-9A-Za-z_-])/g)].some((m) => {
        try {
          return JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')).alg?.toLowerCase?.() === 'none';
        } catch {
          return false;
        }
      }),
    },
    {
      id: 'no-randomness',
      reason: 'most of the value is one character repeated 16+ times (AGE-SECRET-KEY-1QQQ…, an all-zero age key; shippo_live_aaaa…): no key material',
      test: (t) => [...t.matchAll(/[0-9A-Za-z_+\/=.-]{16,}/g)].some((m) => {
        const run = /([0-9A-Za-z])\1{15,}/.exec(m[0]);
        return run !== null && run[0].length >= 0.6 * m[0].length;
      }),
    },
    {
      id: 'placeholder',
      reason: "the value is a placeholder every rule drops (_allow.yml: counting sequences '12345678…1234567890', 'example', xxxxx, jwt.io's sample payload)",
      // Every value of 16+ characters with a digit in it is one (a sample that also holds a real-looking value is not excluded);
      // dotted tokens (a JWT) are judged whole, as a rule captures them.
      test: (t) => {
        const values = [...t.matchAll(/[0-9A-Za-z_.-]{16,}/g)].map((m) => m[0]).filter((v) => /[0-9]/.test(v));
        return values.length > 0 && values.every(isPlaceholder);
      },
    },
    {
      id: 'public-identifier',
      reason: 'a public value, not a secret: Mapbox pk. tokens, Mailgun pubkey-, Lob test_pub_/live_pub_, Flutterwave FLWPUBK, Twilio SK… API key SIDs (the secret is separate), Discord 64-hex application public keys',
      test: (t, text) =>
        /(?:^|[^0-9A-Za-z])(?:pk\.[0-9A-Za-z]{40,}\.[0-9A-Za-z]{10,}|pubkey-[0-9a-f]{32}|(?:test|live)_pub_[0-9a-f]{31}|FLWPUBK(?:_TEST)?-[0-9a-f]{32}-X|SK[0-9a-fA-F]{32})(?![0-9A-Za-z])/.test(t) ||
        (/discord/i.test(text) && /(?:^|[^0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])/.test(t)),
    },
    {
      id: 'client-identifier',
      reason: 'an OAuth client or application id next to the provider name, public by design (it travels in authorization URLs and client code): Discord application ids (17-20 digit snowflakes), Asana client ids (16 digits), LinkedIn client ids (14 characters), Plaid client_id (24 characters), Sendbird application ids (UUIDs), OneSignal App IDs (UUIDs: \'a public UUID (v4)… not a secret\', documentation.onesignal.com/docs/accounts-and-keys), Square application ids (sq0idp-, sandbox-sq0idb-: given to the Web Payments and In-App Payments SDKs in client code)',
      test: (t, text) => {
        const value = (re) => re.test(t);
        return (/discord/i.test(text) && value(/(?:^|[^0-9A-Za-z])[0-9]{17,20}(?![0-9A-Za-z])/) && !value(/[0-9A-Za-z_-]{24,}/)) ||
          (/asana/i.test(text) && value(/(?:^|[^0-9A-Za-z])[0-9]{16}(?![0-9A-Za-z])/) && !value(/[0-9A-Za-z]{20,}/)) ||
          (/linked[_-]?in/i.test(text) && value(/(?:^|[^0-9A-Za-z])[0-9a-z]{14}(?![0-9A-Za-z])/) && !value(/[0-9A-Za-z]{15,}/)) ||
          (/plaid/i.test(text) && value(/(?:^|[^0-9A-Za-z])[0-9A-Za-z]{24}(?![0-9A-Za-z])/) && !value(/[0-9A-Za-z]{25,}/)) ||
          (/sendbird/i.test(text) && value(/(?:^|[^0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/)) ||
          (/onesignal/i.test(text) && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t)) ||
          t.split('\n').every((v) => /^(?:sq0idp-|sandbox-sq0idb-)[0-9A-Za-z_-]{10,}$/.test(v));
      },
    },
    {
      id: 'shape-not-issued',
      reason: "a length or layout the provider does not issue: Square access tokens are 64 characters (EAAA + 60; Square's ObtainToken reference), SendGrid keys SG.<22>.<43>, Square sq0csp- secrets are base64url (no \\ or ]), GitHub fine-grained tokens github_pat_<22>_<59>; Microsoft Teams webhook URLs carry GUIDs (hex); a Discord client secret is 32 random URL-safe characters, never 32 digits (odds about 1 in 10^25)",
      test: (t, text) =>
        /webhook\.office\.com\/webhookb2\/(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/)/.test(t) ||
        (/discord/i.test(text) && /(?:^|[^0-9A-Za-z_-])[0-9]{32}(?![0-9A-Za-z_-])/.test(t)) ||
        (/\bgithub_pat_[0-9A-Za-z_]{60,}/.test(t) && !/\bgithub_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}(?![0-9A-Za-z_])/.test(t)) ||
        /(?:^|[^0-9A-Za-z_+-])EAAA[0-9A-Za-z_+=-]{22,59}(?![0-9A-Za-z_+=-])/.test(t) ||
        (/\bSG\.[0-9A-Za-z=_.-]{60,}/.test(t) && !/\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}(?![0-9A-Za-z_-])/.test(t)) ||
        /sq0csp-[0-9A-Za-z_-]*[\\\]^][0-9A-Za-z_\\\]^-]*/.test(t),
    },
    {
      id: 'jenkins-synthetic',
      reason: "Jenkins credentials.xml holds <secret> encrypted: '{' + base64 of the ciphertext ('AQAAABAAAA…', no spaces) + '}'. These samples put the provider's name and a plaintext key inside the braces ({name AQAAABAAA key}), a form no Jenkins file holds",
      test: (t, text) => {
        if (!/<secret>\{[^{}<]*\bAQAAABAAA\b[^{}<]*\}<\/secret>/.test(text)) return false;
        const rest = text.replace(/<(secret|id)>\{[^{}<]*\}<\/\1>/g, '');
        return t.split('\n').every((v) => !rest.includes(v.slice(0, 16)));
      },
    },
    {
      id: 'prefix-not-issued',
      reason: "a prefix the provider does not issue: Stripe keys are sk_/rk_ + live_/test_ (no 'prod_')",
      test: (t) => /\b[sr]k_prod_/.test(t) && !/\b[sr]k_(?:live|test)_/.test(t),
    },
    {
      id: 'email-wanted',
      reason: "every value the test wants found is an e-mail address (the account's login, which trufflehog reports as the key's owner): an address is no secret, and no rule reports one",
      test: (t) => t.split('\n').every((v) => /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(v)),
    },
    {
      id: 'format-not-issued',
      reason: "no value the sample wants found has the format the provider documents for its keys (bench/crosscheck/formats/, one file per provider with the provider's page; listed below)",
      formats,
      test: (t, text, sample) => {
        const f = sample?.source === 'trufflehog' ? formats.get(sample.group) : sample?.source === 'gitleaks' ? formats.get(`gitleaks:${sample.group}:${sample.rule}`) : undefined;
        return f !== undefined && !t.split('\n').some((v) => f.re.test(v));
      },
    },
  ];
}

/**
 * The first class that explains a sample, or null. A trufflehog sample says which values it wants
 * found (`want`): only those are judged, not the code around them.
 */
export function classifyByDesign(classes, sample) {
  const values = sample.want ? sample.want.join('\n') : sample.text;
  return classes.find((c) => c.test(values, sample.text, sample)) ?? null;
}
