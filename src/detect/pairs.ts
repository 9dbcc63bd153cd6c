// Names and values that a file's format pairs up without `NAME=value`, for provider rules to read as one.

/**
 * Provider rules read a key through the name it is assigned to (`ADZUNA_APP_KEY=…`, `adzunaAppKey:
 * "…"`), in the assignment forms of code and config. Some formats pair a name with its value in
 * other ways, and there a provider's key was found only by a generic rule (with "find which system
 * accepts this credential" for guidance), or not at all when the name held no credential word:
 *
 * - a Dockerfile's `ENV NAME value` (the form without `=`);
 * - Kubernetes and CI `- name: NAME` then `value: …` on the next line;
 * - Gradle's `buildConfigField "String", "NAME", "\"…\""` and `resValue "string", "name", "…"`;
 * - Terraform's `variable "name" { … default = "…" }`;
 * - Postman and Insomnia exports' `{"key": "name", "value": "…"}`;
 * - .NET's `<add key="Name" value="…"/>`, Android's `<string name="name">…</string>`, a
 *   property list's `<key>Name</key><string>…</string>`, Java's XML properties
 *   `<entry key="name">…</entry>`, and a credential-named element whose text is on a line of its
 *   own (`<apiKey>` / the value / `</apiKey>`, as pretty printers write it).
 *
 * Measured on 927 provider rules whose first example is `NAME=value`, written again in each form:
 * named by the provider rule before this, Dockerfile 244, Gradle 240, Terraform 235, Kubernetes 705.
 * Each pair found here is scanned again as `NAME=value` (see Detector.findPaired); only what a
 * provider rule finds in the value is kept, at the value's place in the file.
 */
export interface Pair {
  name: string;
  /** Byte range of the value in the buffer. */
  start: number;
  end: number;
}

/** Files past this size are not searched for pairs (the rest of the scan still reads them whole). */
export const MAX_PAIR_FILE = 4 * 1024 * 1024;

const NAME = String.raw`[A-Za-z_][\w.-]{0,100}`;
const Q = String.raw`["']`;
/** Words in a name that says its value is a credential. */
const CREDENTIAL_NAME = /key|token|secret|pass|pwd|auth|cred|sid|dsn/i;

interface Form {
  /** Which files the form is looked for in, by base name. */
  file: RegExp;
  /** A global regex whose named groups are a name (`name`, `n2`…`n5`) and its value (`v1`…`v5`). */
  pattern: RegExp;
}

const FORMS: Form[] = [
  {
    file: /^(?:dockerfile|containerfile)(?:\..*)?$|\.(?:dockerfile|containerfile)$/i,
    // ENV NAME value: the value runs to the end of the line; a key is one unbroken run of it.
    pattern: new RegExp(String.raw`^[ \t]*ENV[ \t]+(?<name>${NAME})[ \t]+(?:"(?<v1>[^"\s]{1,500})"|'(?<v2>[^'\s]{1,500})'|(?<v3>[^\s"']{1,500}))[ \t]*\r?$`, 'gimd'),
  },
  {
    file: /\.ya?ml$/i,
    pattern: new RegExp(String.raw`\bname:[ \t]*${Q}?(?<name>${NAME})${Q}?[ \t]*\r?\n[ \t]*(?:-[ \t]+)?value:[ \t]*(?:"(?<v1>[^"\s]{1,500})"|'(?<v2>[^'\s]{1,500})'|(?<v3>[^\s"'#]{1,500}))`, 'gd'),
  },
  {
    file: /\.gradle(?:\.kts)?$/i,
    pattern: new RegExp(
      String.raw`\b(?:buildConfigField[ \t]*\(?[ \t]*${Q}String${Q}|resValue[ \t]*\(?[ \t]*${Q}string${Q})[ \t]*,[ \t]*${Q}(?<name>${NAME})${Q}[ \t]*,[ \t]*(?:"\\"(?<v1>[^"\\\s]{1,500})\\""|'"(?<v2>[^"'\s]{1,500})"'|${Q}(?<v3>[^"'\\\s]{1,500})${Q})`,
      'gd',
    ),
  },
  {
    file: /\.tf$/i,
    pattern: new RegExp(String.raw`\bvariable[ \t]+"(?<name>${NAME})"[ \t]*\{[^}]{0,400}?\bdefault[ \t]*=[ \t]*"(?<v1>[^"\s]{1,500})"`, 'gd'),
  },
  {
    file: /\.json$/i,
    pattern: new RegExp(String.raw`"(?:key|name)"[ \t]*:[ \t]*"(?<name>${NAME})"[ \t]*,\s{0,40}"value"[ \t]*:[ \t]*"(?<v1>[^"\s]{1,500})"`, 'gd'),
  },
  {
    file: /\.(?:xml|config|plist)$/i,
    pattern: new RegExp(
      String.raw`<add[ \t]+key[ \t]*=[ \t]*"(?<name>${NAME})"[ \t]+value[ \t]*=[ \t]*"(?<v1>[^"\s]{1,500})"|<string[ \t]+name[ \t]*=[ \t]*"(?<n2>${NAME})"[^>]{0,100}>(?<v2>[^<\s]{1,500})</string>|<key>(?<n3>${NAME})</key>\s{0,80}<string>(?<v3>[^<\s]{1,500})</string>|<entry[ \t]+key[ \t]*=[ \t]*"(?<n4>${NAME})"[ \t]*>(?<v4>[^<\s]{1,500})</entry>|<(?<n5>${NAME})>[ \t]*\r?\n[ \t]{0,80}(?<v5>[^<\s]{1,500})[ \t]*\r?\n[ \t]{0,80}</\k<n5>>`,
      'gd',
    ),
  },
];

/** The name/value pairs of `buf` in the forms its file name says it may hold (latin1: one char per byte). */
export function pairsIn(buf: Buffer, path: string): Pair[] {
  if (buf.length > MAX_PAIR_FILE) return [];
  const base = path.slice(path.lastIndexOf('/') + 1);
  const forms = FORMS.filter((f) => f.file.test(base));
  if (forms.length === 0) return [];
  const text = buf.toString('latin1');
  const out: Pair[] = [];
  for (const { pattern } of forms) {
    for (const m of text.matchAll(pattern)) {
      const g = m.groups!;
      const at = m.indices!.groups!;
      const name = g.name ?? g.n2 ?? g.n3 ?? g.n4 ?? g.n5;
      const span = at.v1 ?? at.v2 ?? at.v3 ?? at.v4 ?? at.v5;
      if (name === undefined || span === undefined) continue;
      // An element whose text sits on a line of its own: only one named like a credential (a
      // pretty-printed document may hold thousands of other elements).
      if (g.n5 !== undefined && !CREDENTIAL_NAME.test(name)) continue;
      out.push({ name, start: span[0], end: span[1] });
    }
  }
  return out;
}
