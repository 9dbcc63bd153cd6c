import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { fileKindOf } from '../../src/detect/file-kind.js';
import { tokensPerChar } from '../../src/detect/randomness.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import type { Match } from '../../src/types.js';

const detector = new Detector({ rules: loadRulesDir(), placeholders: loadPlaceholderPatterns() });
const generic = (text: string, path?: string): Match[] =>
  detector.scan(Buffer.from(text), path).filter((m) => m.ruleId.startsWith('generic-'));

// Random-looking values of the shape generic rules look for (fake, generated for this test).
const KEY = 'Wq8Lz2Xk7Pm4Rt9Nb3Vc';

describe('file kinds', () => {
  it('tells config, code, generated code and docs apart by name', () => {
    expect(fileKindOf('/srv/app/.env.production')).toBe('config');
    expect(fileKindOf('deploy/values.yaml')).toBe('config');
    expect(fileKindOf('Dockerfile')).toBe('config');
    expect(fileKindOf('src/server/auth.ts')).toBe('code');
    expect(fileKindOf('lib/index.d.ts')).toBe('generated');
    expect(fileKindOf('dist/app.min.js')).toBe('generated');
    expect(fileKindOf('dist/app.js.map')).toBe('generated');
    expect(fileKindOf('README.md')).toBe('docs');
    expect(fileKindOf('apis/iam-2010-05-08.examples.json')).toBe('docs');
    expect(fileKindOf(undefined)).toBe('unknown');
  });
});

describe('generic rules report values, not code', () => {
  it('takes a bare value in a config file but not the same text in code', () => {
    expect(generic(`DB_PASSWORD=${KEY}\n`, '.env')).toHaveLength(1);
    expect(generic(`db_password: ${KEY}\n`, 'config/database.yml')).toHaveLength(1);
    expect(generic(`password = ${KEY};\n`, 'src/db.js')).toHaveLength(0);
  });

  it('takes an env line held in a string: JSON dumps, Terraform user_data, a literal in code', () => {
    const json = `{"app.env": "DEBUG=0\\nDB_PASSWORD=${KEY}\\nPORT=8080"}\n`;
    expect(generic(json).map((m) => m.secret)).toEqual([KEY]);
    expect(generic(`env = "API_TOKEN=${KEY}\\n"\n`, 'src/deploy.py').map((m) => m.secret)).toEqual([KEY]);
    // Not a line of its own: the value runs on into more text, or follows more than a name.
    expect(generic(`{"note": "see API_TOKEN=${KEY} in the vault"}\n`)).toEqual([]);
    expect(generic(`msg = "API_TOKEN=" + token + "\\n"\n`, 'src/deploy.py')).toEqual([]);
  });

  it('takes a quoted literal in code', () => {
    const found = generic(`const apiKey = "${KEY}";\n`, 'src/client.ts');
    expect(found.map((m) => m.secret)).toEqual([KEY]);
    expect(found[0]!.evidence).toBe('strong');
  });

  it.each([
    ['identifier with a digit', 'const token = formatDistanceLocale44;', 'src/locale.js'],
    ['bundler-renamed identifier', 'var tokenType = ArrowToken$1;', 'src/index.mjs'],
    ['rest parameter', 'secretFn = (...args2) => run(args2)', 'lib/util.js'],
    ['minified operators', 'e.tokenKind=e.operatorToken.kind===57||v.operatorToken.kind===61)', 'dist/tsWorker.js'],
    ['minified ternary', 'if(e.token===1?!1:te!==n)return', 'dist/cssWorker.js'],
    ['type name', 'export declare type Token = JwtToken;', 'types/index.d.ts'],
    ['type annotation', 'readonly secretId: SecretId;', 'clients/secrets.d.ts'],
    ['URL path', 'resetPassword: "/v1/accounts:resetPassword",', 'dist/auth.js'],
    ['source map content', '{"sourcesContent":["const token = reCAPTCHAToken\\n"]}', 'dist/index.js.map'],
    ['C cast', '  password = (word32)key[0];', 'src/wolfssl.c'],
    ['format fragment', 'token = %repeat[255', 'tests/data/test1'],
    ['C argument', 'password = libtest_arg4;', 'tests/libtest/lib1.c'],
    ['template placeholder', 'const secret = "${SECRET_PREFIX}_value_v2"', 'src/config.ts'],
    ['quoted identifier', '"tokenName": "inputFontSizeLG"', 'theme/token-meta.json'],
    ['leetspeak password in docs', "password: 'S3cretP@ssw0rd!'", 'README.md'],
    ['vim syntax regex', 'syn match pcctsTokenName "\\<[A-Z]\\i*\\>" contained', 'syntax/pccts.vim'],
    ['vim regex group', 'syn match regoFuncTokenVerification2 "\\<io\\.jwt\\.verify_\\(rs\\|ps\\|es\\|hs\\)\\(256\\|384\\|512\\)\\>"', 'syntax/rego.vim'],
  ])('not a %s', (_what, line, path) => {
    expect(generic(`${line}\n`, path)).toEqual([]);
    expect(generic(`${line}\n`)).toEqual([]);
  });

  it('asks much more of a minified line: only a long, very random quoted value', () => {
    const filler = 'a=b;'.repeat(300);
    expect(generic(`${filler}var password="Zt7Kp2Lq";${filler}\n`, 'dist/app.js')).toEqual([]);
    const found = generic(`${filler}var password="${KEY}";${filler}\n`, 'dist/app.js');
    expect(found.map((m) => m.evidence)).toEqual(['weak']);
  });

  it('takes a ? inside a value only under a password name: generated tokens are URL-safe', () => {
    const mangled = 'Wq8Lz2Xk7P?m4Rt9Nb3Vc';
    expect(generic(`api_token = '${mangled}'\n`, 'src/a.py')).toHaveLength(0);
    expect(generic(`CLIENT_SECRET=${mangled}\n`, '.env')).toHaveLength(0);
    expect(generic(`<apiKey>${mangled}</apiKey>\n`, 'conf/app.xml')).toHaveLength(0);
    expect(generic(`db_password = '${mangled}'\n`, 'src/a.py').map((m) => m.secret)).toEqual([mangled]);
    expect(generic(`SMTP_PASSWD=${mangled}\n`, '.env').map((m) => m.secret)).toEqual([mangled]);
    expect(generic(`<password>${mangled}</password>\n`, 'conf/app.xml').map((m) => m.secret)).toEqual([mangled]);
  });

  it('reads the syntax when the file kind is unknown (stdin, commit messages)', () => {
    expect(generic(`export API_TOKEN=${KEY}\n`).map((m) => m.evidence)).toEqual(['moderate']);
    expect(generic(`the token is ${KEY} for now\n`)).toEqual([]);
  });

  it("takes make's ?= and ::= as config lines wherever they are, and := only in a makefile (Go has it too)", () => {
    expect(generic(`DEPLOY_TOKEN ?= ${KEY}\n`).map((m) => m.evidence)).toEqual(['moderate']);
    expect(generic(`DEPLOY_TOKEN ::= ${KEY}\n`).map((m) => m.evidence)).toEqual(['moderate']);
    expect(generic(`\troninAPIKey := ${KEY}\n`)).toEqual([]);
    expect(generic(`DEPLOY_TOKEN := ${KEY}\n`, 'Makefile').map((m) => m.evidence)).toEqual(['strong']);
    expect(generic(`DEPLOY_TOKEN := ${KEY}\n`, 'build/common.mk').map((m) => m.evidence)).toEqual(['strong']);
    expect(generic(`deployToken := ${KEY}\n`, 'cmd/deploy/main.go')).toEqual([]);
  });

  it('judges padded base64 by what it encodes: a few characters are as short as a value written plainly', () => {
    const secretYaml = (v: string) => `kind: Secret\ndata:\n  password: ${v}\n`;
    expect(generic(secretYaml(Buffer.from('demo').toString('base64')), 'k8s/chap-secret.yaml')).toEqual([]);
    expect(generic(secretYaml(Buffer.from('mpass').toString('base64')), 'k8s/chap-secret.yaml')).toEqual([]);
    const random = Buffer.from(KEY).toString('base64');
    expect(generic(secretYaml(random), 'k8s/app-secret.yaml').map((m) => m.secret)).toEqual([random]);
  });

  it('takes XML text on a line of its own between the tags as a literal, even in code', () => {
    const pretty = `<settings>\n  <apiToken>\n    ${KEY}\n  </apiToken>\n</settings>\n`;
    expect(generic(pretty, 'src/main/resources/settings.xml').map((m) => m.secret)).toEqual([KEY]);
    expect(generic(pretty, 'src/Settings.jsx').map((m) => m.evidence)).toEqual(['strong']);
    // Text after a tag that does not close right after it is no element's value.
    expect(generic(`<apiToken>\n    ${KEY} and more\n</apiToken>\n`, 'src/Settings.jsx')).toEqual([]);
  });
});

describe('tokens per character', () => {
  it('is low for words and identifiers and high for generated keys', () => {
    for (const word of ['formatDistanceLocale44', 'passwordResetTokenExpiry', 'SuperSecretPassword123', 'X-Amz-Security-Token']) {
      expect(tokensPerChar(word), word).toBeLessThan(0.45);
    }
    for (const key of [KEY, 'cOnE1h2!h43HK3e!ML6U', '9fK2mQ7xLp4Wz8Rt3Nb6Vc1Y', 'f3a9c1e07b5d42e8']) {
      expect(tokensPerChar(key), key).toBeGreaterThanOrEqual(0.45);
    }
  });
});

describe('concatenated literals', () => {
  it('reassembles pieces joined with + and reports them at the first piece', () => {
    const text = `// client\nconst apiKey = "Wq8Lz2Xk7P" + "m4Rt9Nb3Vc";\n`;
    const [m] = generic(text, 'src/client.js');
    expect(m?.secret).toBe(KEY);
    expect([m?.line, m?.column]).toEqual([2, 17]);
  });

  it('follows a trailing + onto the next line, [..].join("") and implicit concatenation', () => {
    expect(generic(`token = "Wq8Lz2Xk7P" +\n    "m4Rt9Nb3Vc"\n`, 'app.py').map((m) => m.secret)).toEqual([KEY]);
    expect(generic(`const secretKey = ['Wq8Lz2Xk7P', 'm4Rt9Nb3Vc'].join('');\n`, 'a.js').map((m) => m.secret)).toEqual([KEY]);
    expect(generic(`#define API_KEY "Wq8Lz2Xk7P" "m4Rt9Nb3Vc"\n`, 'config.h').map((m) => m.secret)).toEqual([KEY]);
  });

  it('joins literals separated by white space only where the language does (not a shell command)', () => {
    // curl takes "u:p" and the URL as two arguments: the password alone is the secret.
    const line = `curl -s --user "j.smith:${KEY}" "https://api.internal/user/me"\n`;
    expect(generic(line, 'scripts/check.sh').map((m) => m.secret)).toEqual([KEY]);
    expect(generic(`API_KEY = "Wq8Lz2Xk7P" "m4Rt9Nb3Vc"\n`, 'settings.py').map((m) => m.secret)).toEqual([KEY]);
  });

  it('does not join arguments or prose', () => {
    expect(generic(`call("token", "Wq8Lz2Xk7P", "m4Rt9Nb3Vc");\n`, 'a.js').map((m) => m.secret)).not.toContain(KEY);
    expect(generic(`const msg = "Enter your " + "password here";\n`, 'a.js')).toEqual([]);
  });
});
