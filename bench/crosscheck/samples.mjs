// Reads the public rule-test samples out of a gitleaks and a trufflehog git directory (bare mirrors
// are fine): gitleaks' generator tests (tps/fps per rule) and trufflehog's pattern tests
// (input/want per detector). Nothing is written to disk.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { evaluate, runAssignments, SKIPPED, tokenize, Unsupported } from './go-eval.mjs';

const MAX_BUFFER = 512 * 2 ** 20;

/** Text of every file under `dir` at HEAD whose path `keep` accepts, in one `git cat-file` call. */
export function readTree(gitDir, dir, keep) {
  const git = (args, input) => execFileSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: MAX_BUFFER });
  const paths = git(['ls-tree', '-r', '--name-only', 'HEAD', '--', dir]).toString('utf8').split('\n').filter((p) => p && keep(p));
  if (paths.length === 0) return new Map();
  const out = git(['cat-file', '--batch'], paths.map((p) => `HEAD:${p}\n`).join(''));
  const files = new Map();
  let at = 0;
  for (const p of paths) {
    const nl = out.indexOf(10, at);
    const header = out.subarray(at, nl).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new Error(`git cat-file: ${header}`);
    files.set(p, out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return files;
}

function matchingBrace(tokens, open) {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].t !== 'op') continue;
    if (tokens[i].v === '{') depth++;
    else if (tokens[i].v === '}' && --depth === 0) return i;
  }
  return tokens.length;
}

/** Pushes the strings of `value` into `into` and returns how many elements were SKIPPED. */
function collect(value, into) {
  const items = Array.isArray(value) ? value : [value];
  let skipped = 0;
  for (const v of items) {
    if (v === SKIPPED || typeof v !== 'string') skipped++;
    else into.push(v);
  }
  return skipped;
}

/**
 * gitleaks: one group per rule file; true positives and false positives are the 2nd and 3rd
 * arguments of each `utils.Validate(r, tps, fps)` (or ValidateWithPaths) in that file.
 */
export function gitleaksSamples(gitDir, rand) {
  const files = readTree(gitDir, 'cmd/generate/config/rules', (p) => p.endsWith('.go') && !p.endsWith('_test.go'));
  const samples = [];
  const skipped = new Map();
  for (const [file, src] of files) {
    const group = path.basename(file, '.go');
    const tokens = tokenize(src);
    const pkgEnv = new Map();
    let skip = 0;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].v !== 'func' || tokens[i + 1]?.t !== 'id') continue;
      let open = i;
      while (open < tokens.length && tokens[open].v !== '{') open++;
      const close = matchingBrace(tokens, open);
      const rule = tokens[i + 1].v; // the generator function (AmazonBedrockAPIKeyShortLived): formats/ may name it
      const env = new Map(pkgEnv);
      const failed = runAssignments(tokens, open + 1, close, env, rand);
      for (let k = open; k < close; k++) {
        if (!/^utils\.Validate(WithPaths)?$/.test(tokens[k].v) || tokens[k + 1]?.v !== '(') continue;
        let at = k + 2;
        while (tokens[at] && tokens[at].v !== ',') at++; // skip the rule argument
        const kinds = ['tp', 'fp'];
        for (const kind of kinds) {
          const name = tokens[at + 1]?.t === 'id' ? tokens[at + 1].v : null;
          try {
            const { value, next } = evaluate(tokens, at + 1, env, rand);
            const texts = [];
            skip += collect(value, texts);
            for (const text of texts) samples.push({ source: 'gitleaks', group, rule, kind, text });
            at = next;
          } catch (err) {
            if (!(err instanceof Unsupported)) throw err;
            if (name && failed.has(name)) skip++;
            while (tokens[at + 1] && tokens[at + 1].v !== ',' && tokens[at + 1].v !== ')') at++;
            at++;
          }
          if (tokens[at]?.v !== ',') break;
        }
      }
      i = close;
    }
    if (skip) skipped.set(`gitleaks:${group}`, skip);
  }
  return { samples, skipped, files: files.size };
}

/**
 * trufflehog: one group per detector folder; each `input: …, want: []string{…}` case of a pattern
 * test is a true positive when `want` is non-empty and a false positive when it is empty or nil.
 * Integration tests (live credentials) are left out.
 */
export function trufflehogSamples(gitDir, rand) {
  const files = readTree(gitDir, 'pkg/detectors', (p) => p.endsWith('_test.go') && !p.includes('integration') && p.split('/').length === 4);
  const samples = [];
  const skipped = new Map();
  let used = 0;
  for (const [file, src] of files) {
    if (/^\/\/go:build .*detectors/m.test(src.slice(0, 200)) || !/\binput:/.test(src)) continue;
    used++;
    const group = file.split('/')[2];
    const tokens = tokenize(src);
    const env = new Map();
    runAssignments(tokens, 0, tokens.length, env, rand);
    let skip = 0;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].v !== 'input' || tokens[i + 1]?.v !== ':') continue;
      let want = i + 2;
      while (want < tokens.length && !(tokens[want].v === 'want' && tokens[want + 1]?.v === ':')) {
        if (tokens[want].v === 'input' && tokens[want + 1]?.v === ':') break;
        want++;
      }
      try {
        const input = evaluate(tokens, i + 2, env, rand).value;
        if (tokens[want]?.v !== 'want') throw new Unsupported('no want');
        const wanted = evaluate(tokens, want + 2, env, rand).value;
        if (typeof input !== 'string' || !Array.isArray(wanted) || wanted.some((w) => typeof w !== 'string')) throw new Unsupported('shape');
        samples.push({ source: 'trufflehog', group, kind: wanted.length ? 'tp' : 'fp', text: input, want: wanted });
      } catch (err) {
        if (!(err instanceof Unsupported)) throw err;
        skip++;
      }
    }
    if (skip) skipped.set(`trufflehog:${group}`, skip);
  }
  return { samples, skipped, files: used };
}
