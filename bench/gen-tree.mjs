// Generates a source-like tree for bench/dir.mjs: code, config, lockfiles, minified bundles and
// base64 blobs, with a few planted fake keys. Deterministic for a given seed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

// Credential words (token, password, secret) are rarer in real code than ordinary identifiers:
// they come in through CREDENTIAL_LINES, about one line in 150, not through every identifier.
const WORDS = ('function const return import export from async await class interface private public static string ' +
  'number boolean config options data result error message request response user account session ' +
  'value index length items filter map reduce promise resolve reject handler callback event listener module require ' +
  'default props state render component update delete create select where order group limit offset query schema')
  .split(' ');
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateTree(root, totalBytes, seed = 1) {
  const rand = rng(seed);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const str = (n, al = B62) => Array.from({ length: n }, () => al[Math.floor(rand() * al.length)]).join('');
  const hex = (n) => str(n, '0123456789abcdef');

  const CREDENTIAL_LINES = [
    () => `const tokenUrl = config.auth.${pick(WORDS)}Url;`,
    () => `if (!password) throw new Error('password is required');`,
    () => `const secret = process.env.${pick(WORDS).toUpperCase()}_SECRET;`,
    () => `headers.Authorization = \`Bearer \${token}\`;`,
  ];
  const codeLine = () => {
    const indent = '  '.repeat(Math.floor(rand() * 4));
    if (rand() < 1 / 150) return indent + pick(CREDENTIAL_LINES)();
    const kind = rand();
    if (kind < 0.5) return `${indent}const ${pick(WORDS)}${pick(WORDS)} = ${pick(WORDS)}.${pick(WORDS)}(${pick(WORDS)}, ${Math.floor(rand() * 1000)});`;
    if (kind < 0.7) return `${indent}// ${Array.from({ length: 8 }, () => pick(WORDS)).join(' ')}`;
    if (kind < 0.85) return `${indent}if (${pick(WORDS)} === '${pick(WORDS)}') { return ${pick(WORDS)}; }`;
    return `${indent}${pick(WORDS)}: "${pick(WORDS)}-${pick(WORDS)}",`;
  };
  const kinds = [
    () => Array.from({ length: 400 + Math.floor(rand() * 3000) }, codeLine).join('\n'),
    () => Array.from({ length: 300 + Math.floor(rand() * 1500) }, (_, i) =>
      `    "node_modules/${pick(WORDS)}-${i}": { "version": "1.${i}.0", "integrity": "sha512-${str(86)}==" },`).join('\n'),
    () => Array.from({ length: 20 + Math.floor(rand() * 200) }, () => `${pick(WORDS)}_${pick(WORDS)}=${hex(40)}`).join('\n'),
    () => `!function(){${Array.from({ length: 2000 + Math.floor(rand() * 20000) }, () => `var ${str(2)}=${str(3)}.${pick(WORDS)}(${str(1)});`).join('')}}();`,
    () => `.icon{background:url(data:image/png;base64,${str(20000 + Math.floor(rand() * 80000), B62 + '+/')}=)}`,
  ];
  const exts = ['.js', '.json', '.env.sample', '.min.js', '.css'];
  let written = 0;
  let files = 0;
  let planted = 0;
  while (written < totalBytes) {
    const k = Math.floor(rand() * kinds.length);
    let body = kinds[k]();
    if (rand() < 0.01) {
      body += `\nconst STRIPE_SECRET = "sk_live_${str(99)}";\n`;
      planted++;
    }
    const dir = path.join(root, `pkg${files % 97}`, `mod${files % 13}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `file${files}${exts[k]}`), body);
    written += Buffer.byteLength(body);
    files++;
  }
  return { files, bytes: written, planted };
}
