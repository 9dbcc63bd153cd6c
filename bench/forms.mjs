#!/usr/bin/env node
// Benchmark of recall by syntax: the first `NAME=value` example of every provider rule, written again
// in the forms code and config use to hold a credential (a Dockerfile's ENV, a Go or TypeScript
// declaration, Kubernetes env, Gradle, Terraform…), and scanned under a file name of that kind.
// Prints, per form, how many are named by the rule's provider, found only by a generic rule, or
// missed. The values are the rules' own examples (fake); nothing is read from outside the checkout.
// Usage: node bench/forms.mjs [--list FORM]   (run `npm run build` first; --list names the rules a
// form misses or finds only generically)
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const listAt = args.indexOf('--list');
const list = listAt >= 0 ? args[listAt + 1] : null;
if ((listAt >= 0 && !list) || args.length !== (listAt >= 0 ? 2 : 0)) {
  console.error('usage: node bench/forms.mjs [--list FORM]');
  process.exit(2);
}
const dist = path.join(here, '..', 'dist');
const { Detector } = await import(pathToFileURL(path.join(dist, 'detect', 'detector.js')).href);
const { loadRulesDir, loadPlaceholderPatterns } = await import(pathToFileURL(path.join(dist, 'rules', 'load.js')).href);
const rules = loadRulesDir();
const detector = new Detector({ rules, placeholders: loadPlaceholderPatterns() });
const byId = new Map(rules.map((r) => [r.id, r]));

const camel = (n) => n.toLowerCase().replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
/** form → [file name it is scanned under, the text for NAME and value] */
const FORMS = {
  env: ['.env', (n, v) => `${n}=${v}\n`],
  yaml: ['config.yml', (n, v) => `${n.toLowerCase()}: ${v}\n`],
  json: ['config.json', (n, v) => `{"${n}": "${v}"}\n`],
  python: ['settings.py', (n, v) => `${n} = os.environ.get("${n}", "${v}")\n`],
  make: ['Makefile', (n, v) => `${n} ?= ${v}\n`],
  dockerfile: ['Dockerfile', (n, v) => `ENV ${n} ${v}\n`],
  kubernetes: ['deploy.yaml', (n, v) => `env:\n  - name: ${n}\n    value: "${v}"\n`],
  go: ['main.go', (n, v) => `var ${camel(n)} string = "${v}"\n`],
  typescript: ['config.ts', (n, v) => `const ${camel(n)}: string = '${v}';\n`],
  xml: ['settings.xml', (n, v) => `<${camel(n)}>\n    ${v}\n</${camel(n)}>\n`],
  gradle: ['build.gradle', (n, v) => `        buildConfigField "String", "${n}", "\\"${v}\\""\n`],
  terraform: ['main.tf', (n, v) => `variable "${n.toLowerCase()}" {\n  default = "${v}"\n}\n`],
};
if (list && !FORMS[list]) {
  console.error(`unknown form "${list}": one of ${Object.keys(FORMS).join(', ')}`);
  process.exit(2);
}

const counts = Object.fromEntries(Object.keys(FORMS).map((f) => [f, { named: 0, generic: 0, missed: 0 }]));
const listed = [];
let probed = 0;
for (const rule of rules) {
  if (rule.fallback || rule.provider === 'generic') continue;
  const m = /^([A-Z][A-Z0-9_]{2,60})=([^\s"']{8,})$/.exec((rule.examples ?? [])[0]?.trim() ?? '');
  if (!m) continue;
  const [, name, value] = m;
  // Only rules that find their own example as written.
  if (!detector.scan(Buffer.from(`${name}=${value}\n`), '.env').some((x) => x.ruleId === rule.id)) continue;
  probed++;
  for (const [form, [file, write]] of Object.entries(FORMS)) {
    const found = detector.scan(Buffer.from(write(name, value)), file);
    const named = found.some((x) => x.ruleId === rule.id || (byId.get(x.ruleId)?.provider === rule.provider && !byId.get(x.ruleId)?.fallback));
    const generic = !named && found.some((x) => value.includes(x.secret) || x.secret.includes(value));
    const kind = named ? 'named' : generic ? 'generic' : 'missed';
    counts[form][kind]++;
    if (form === list && kind !== 'named') listed.push(`${kind.padEnd(8)} ${rule.id}`);
  }
}
console.log(`${probed} provider rules whose first example is NAME=value, written in ${Object.keys(FORMS).length} forms`);
console.log(`${'form'.padEnd(12)} ${'named'.padStart(6)} ${'generic'.padStart(8)} ${'missed'.padStart(7)}`);
for (const [form, c] of Object.entries(counts)) console.log(`${form.padEnd(12)} ${String(c.named).padStart(6)} ${String(c.generic).padStart(8)} ${String(c.missed).padStart(7)}`);
if (list) console.log(`\n${list}, not named:\n${listed.join('\n')}`);
