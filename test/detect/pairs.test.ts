import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { MAX_PAIR_FILE, pairsIn } from '../../src/detect/pairs.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';

const detector = new Detector({ rules: loadRulesDir(), placeholders: loadPlaceholderPatterns() });

/** A fake Datadog API key, generated: 32 hex digits, a key only its name (DD_API_KEY) tells apart. */
const key = (): string => randomBytes(16).toString('hex');

/** The findings on `key`, as [rule, line, column]. */
function found(text: string, path: string, value: string): [string, number, number][] {
  return detector
    .scan(Buffer.from(text), path)
    .filter((m) => m.secret === value)
    .map((m) => [m.ruleId, m.line, m.column]);
}

const at = (text: string, value: string): [number, number] => {
  const before = text.slice(0, text.indexOf(value)).split('\n');
  return [before.length, before.at(-1)!.length + 1];
};

describe('names and values a format pairs without NAME=value', () => {
  it.each([
    ['Dockerfile', (v: string) => `FROM node:20\nENV DD_API_KEY ${v}\nRUN npm ci\n`],
    ['docker/app.dockerfile', (v: string) => `env DD_API_KEY "${v}"\n`],
    ['k8s/deploy.yaml', (v: string) => `spec:\n  env:\n    - name: DD_API_KEY\n      value: "${v}"\n`],
    ['.github/workflows/ci.yml', (v: string) => `variables:\n  - name: DD_API_KEY\n    value: ${v}\n`],
    ['app/build.gradle', (v: string) => `android {\n    buildConfigField "String", "DD_API_KEY", "\\"${v}\\""\n}\n`],
    ['app/build.gradle.kts', (v: string) => `buildConfigField("String", "DD_API_KEY", "\\"${v}\\"")\n`],
    ['app/build.gradle', (v: string) => `resValue "string", "dd_api_key", "${v}"\n`],
    ['infra/main.tf', (v: string) => `variable "dd_api_key" {\n  type    = string\n  default = "${v}"\n}\n`],
    ['postman/env.json', (v: string) => `{"values": [{"key": "DD_API_KEY", "value": "${v}", "enabled": true}]}\n`],
    ['web.config', (v: string) => `<appSettings>\n  <add key="DD_API_KEY" value="${v}" />\n</appSettings>\n`],
    ['res/values/strings.xml', (v: string) => `<resources>\n  <string name="dd_api_key" translatable="false">${v}</string>\n</resources>\n`],
    ['Info.plist', (v: string) => `<dict>\n  <key>DD_API_KEY</key>\n  <string>${v}</string>\n</dict>\n`],
    ['conf/app.xml', (v: string) => `<properties>\n  <entry key="datadog.api.key">${v}</entry>\n</properties>\n`],
    ['conf/settings.xml', (v: string) => `<settings>\n  <ddApiKey>\n    ${v}\n  </ddApiKey>\n</settings>\n`],
  ])('%s: the provider rule names the key, once, at the value', (path, form) => {
    const v = key();
    const text = form(v);
    expect(found(text, path, v)).toEqual([['datadog-api-key', ...at(text, v)]]);
  });

  it('looks for each form only in the files that hold it', () => {
    const v = key();
    expect(found(`ENV DD_API_KEY ${v}\n`, 'notes/setup.txt', v).map(([rule]) => rule)).not.toContain('datadog-api-key');
    expect(found(`- name: DD_API_KEY\n  value: "${v}"\n`, 'src/settings.py', v).map(([rule]) => rule)).not.toContain('datadog-api-key');
  });

  it('pairs an element with its text on a line of its own only when the element is named like a credential', () => {
    const v = key();
    const pairs = (name: string) => pairsIn(Buffer.from(`<config>\n  <${name}>\n    ${v}\n  </${name}>\n</config>\n`), 'settings.xml').map((p) => p.name);
    expect(pairs('ddApiKey')).toEqual(['ddApiKey']);
    expect(pairs('description')).toEqual([]);
  });

  it('keeps only what a provider rule finds inside the value', () => {
    // The name alone names nothing; a value of another shape is no Datadog key.
    const rules = (text: string) => detector.scan(Buffer.from(text), 'Dockerfile').map((m) => m.ruleId);
    expect(rules(`ENV DD_API_KEY not-a-key-at-all\n`)).toEqual([]);
    expect(rules(`ENV DD_API_KEY ${key()}0\n`)).not.toContain('datadog-api-key');
    expect(rules(`ENV DD_API_KEY ${key()}\n`)).toContain('datadog-api-key');
  });

  it('reads pairs with their exact byte ranges, and none past the size limit', () => {
    const text = Buffer.from(`ENV   A_TOKEN   "xyz"\nENV B=c\nenv C_KEY d=e\n`);
    expect(pairsIn(text, 'Dockerfile').map((p) => [p.name, text.toString('latin1', p.start, p.end)])).toEqual([
      ['A_TOKEN', 'xyz'],
      ['C_KEY', 'd=e'],
    ]);
    const big = Buffer.alloc(MAX_PAIR_FILE + 1, 0x20);
    big.write('ENV A_TOKEN xyz\n');
    expect(pairsIn(big, 'Dockerfile')).toEqual([]);
  });
});

describe('a generic finding offered to the provider rules as NAME=value', () => {
  it.each([
    ['src/config.ts', (v: string) => `export const ddApiKey: string = '${v}';\n`],
    ['cmd/agent/main.go', (v: string) => `var ddApiKey string = "${v}"\n`],
    ['Settings.vb', (v: string) => `Dim ddApiKey As String = "${v}"\n`],
    ['src/lib.rs', (v: string) => `const DD_API_KEY: &str = "${v}";\n`],
  ])('%s: a typed declaration the provider pattern does not take is named by the provider rule', (path, form) => {
    const v = key();
    const text = form(v);
    expect(found(text, path, v)).toEqual([['datadog-api-key', ...at(text, v)]]);
  });

  it('leaves a generic finding whose name and value no provider rule takes as it was', () => {
    const v = 'Wq8Lz2Xk7Pm4Rt9Nb3Vc';
    expect(found(`export const reportSigningSecret: string = '${v}';\n`, 'src/config.ts', v).map(([rule]) => rule)).toEqual(['generic-secret-assignment']);
  });
});

describe('typed declarations on lines holding a provider keyword', () => {
  it('offer values the generic rule drops (40 hex digits) to the provider rules', () => {
    const v = randomBytes(20).toString('hex');
    const text = `export class Auth {\n  private readonly githubClientSecret: string = '${v}';\n}\n`;
    expect(found(text, 'src/auth.ts', v)).toEqual([['github-oauth-client-secret', ...at(text, v)]]);
    const kotlin = `object Config {\n    val githubClientSecret: String = "${v}"\n}\n`;
    expect(found(kotlin, 'app/src/main/kotlin/Config.kt', v).map(([rule]) => rule)).toEqual(['github-oauth-client-secret']);
  });

  it('read code only, and only the lines that hold a keyword', () => {
    const v = randomBytes(20).toString('hex');
    expect(found(`githubClientSecret: string = '${v}'\n`, 'notes/auth.md', v)).toEqual([]);
    // Declaration files are generated; JavaScript has no types to step over.
    expect(found(`  githubClientSecret: string = '${v}';\n`, 'types/auth.d.ts', v)).toEqual([]);
    // The name holds no provider keyword: nothing to offer it to.
    expect(found(`  private readonly clientSecret: string = '${v}';\n`, 'src/auth.ts', v)).toEqual([]);
  });
});
