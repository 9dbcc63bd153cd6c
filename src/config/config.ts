import { lstatSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from '../core/yaml.js';
import { UserError } from '../errors.js';
import { readInputText } from '../io/safe-read.js';
import { loadRuleFile, readRuleFile } from '../rules/load.js';
import { CONFIDENCES, SEVERITIES, type Confidence, type EntropyGate, type RuleSpec, type Severity } from '../types.js';
import { Shape, parseSize } from '../core/shape.js';

/** A gitleaks/Betterleaks TOML rule file to import (`rules-from`), read by src/gitleaks/import.ts. */
export interface RulesFromEntry {
  file: string;
  /** Set when a config found in the scanned tree named the file: it must stay in this folder. */
  within?: string;
  severity?: Severity;
}

/** Settings from a .secretscanrc, resolved: rule files read, paths made absolute. */
export interface Config {
  /** The file it came from, or null for defaults. */
  file: string | null;
  /** Folder that relative paths in the config (rule files, allow-paths globs) are relative to. */
  baseDir: string;
  extraRules: RuleSpec[];
  disabledRules: string[];
  allowPaths: string[];
  allowRegexes: string[];
  stopwords: string[];
  /** Overrides the entropy gate of the fallback (generic) rules. */
  entropy?: EntropyGate;
  maxFileSize: number;
  /**
   * Whether max-file-size was set (config or --max-file-size). Unset, directory and stdin scans read
   * larger files in windows instead of skipping them; git and image scans skip over the default.
   */
  maxFileSizeSet: boolean;
  failOn: Severity;
  /** Findings below this confidence are not reported, only counted (`confidence`, `--confidence`). */
  confidence: Confidence;
  decode: boolean;
  /** gitleaks/Betterleaks TOML rule files to import (`rules-from`, `--rules-from`), absolute paths. */
  rulesFrom: RulesFromEntry[];
  /** `--gitleaks-ignore FILE`; null: `.gitleaksignore` at the scan root, when there is one. */
  gitleaksIgnore: string | null;
  /** The folder (or file) being scanned, where `.gitleaksignore` is looked for; set by the CLI. */
  scanRoot?: string;
  /** Baseline file of accepted findings (absolute), dropped from every scan. */
  baseline?: string;
  /** Set when the baseline was named by a config found in the scanned tree: it must stay in this folder. */
  baselineWithin?: string;
  /** `verify.endpoints.<name>`: URLs that replace a provider's endpoint (proxies, tests). */
  verifyEndpoints: Record<string, string>;
}

export const CONFIG_NAMES = ['.secretscanrc', '.secretscanrc.yml', '.secretscanrc.yaml', '.secretscanrc.json'];
const KEYS = [
  'rules', 'disable-rules', 'allow-paths', 'allow-regexes', 'stopwords', 'entropy', 'max-file-size', 'fail-on', 'decode',
  'rules-from',
  'baseline',
  'verify',
  'confidence',
] as const;
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export function defaultConfig(baseDir: string): Config {
  return {
    file: null,
    baseDir,
    extraRules: [],
    disabledRules: [],
    allowPaths: [],
    allowRegexes: [],
    stopwords: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    maxFileSizeSet: false,
    failOn: 'low',
    confidence: 'medium',
    decode: true,
    rulesFrom: [],
    gitleaksIgnore: null,
    verifyEndpoints: {},
  };
}

/** The nearest config file in `start` or a folder above it, or null. */
export function findConfig(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (exists(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Whether anything is there, a dangling symlink included (it is then refused by name, not ignored). */
function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a config file. `found`: it was discovered (not named with --config), so it and the files
 * it names (rules, rules-from, baseline) must stay within its folder: the scanned tree controls them.
 */
export function loadConfig(file: string, { found = false }: { found?: boolean } = {}): Config {
  const within = found ? path.dirname(path.resolve(file)) : undefined;
  const text = readInputText(file, { what: 'config', ...(within ? { within } : {}) });
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    throw new UserError(`${file}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return readConfig(data, file, within);
}

export function readConfig(data: unknown, file: string, within?: string): Config {
  const top = new Shape(file);
  const o = top.object(data, KEYS);
  const baseDir = path.dirname(path.resolve(file));
  const config = defaultConfig(baseDir);
  config.file = file;

  config.extraRules = top.at('rules').list(o.rules).flatMap((entry, i) => {
    const s = top.at('rules').at(i);
    if (typeof entry === 'string') return loadRuleFile(path.resolve(baseDir, entry), within);
    // An inline provider block, in the same shape as a rules/*.yml file.
    return readRuleFile(entry, `${file} ${s.path}`);
  });
  config.disabledRules = top.at('disable-rules').strings(o['disable-rules']);
  config.allowPaths = top.at('allow-paths').strings(o['allow-paths']);
  config.allowRegexes = top.at('allow-regexes').strings(o['allow-regexes']);
  config.stopwords = top.at('stopwords').strings(o.stopwords).map((w) => w.toLowerCase());
  if (o.entropy !== undefined) {
    const s = top.at('entropy');
    if (typeof o.entropy === 'number') config.entropy = s.number(o.entropy, 0, 8);
    else {
      const e = s.object(o.entropy, ['relative', 'hex', 'alnum', 'base64', 'any']);
      const gate: Exclude<EntropyGate, number> = {};
      for (const [k, v] of Object.entries(e)) {
        (gate as Record<string, number>)[k] = s.at(k).number(v, 0, k === 'relative' ? 1 : 8);
      }
      config.entropy = gate;
    }
  }
  if (o['max-file-size'] !== undefined) {
    config.maxFileSize = parseSize(o['max-file-size'], top.at('max-file-size'));
    config.maxFileSizeSet = true;
  }
  if (o['fail-on'] !== undefined) config.failOn = top.at('fail-on').oneOf(o['fail-on'], SEVERITIES);
  if (o.confidence !== undefined) config.confidence = top.at('confidence').oneOf(o.confidence, CONFIDENCES);
  if (o.decode !== undefined) config.decode = top.at('decode').boolean(o.decode);
  config.rulesFrom = top.at('rules-from').list(o['rules-from']).map((entry, i) => {
    const s = top.at('rules-from').at(i);
    // A path (relative to this file), or { path, severity } since gitleaks rules carry no severity.
    if (typeof entry === 'string') return { file: path.resolve(baseDir, s.string(entry)), ...(within ? { within } : {}) };
    const e = s.object(entry, ['path', 'severity']);
    return {
      file: path.resolve(baseDir, s.at('path').string(e.path)),
      ...(within ? { within } : {}),
      ...(e.severity !== undefined ? { severity: s.at('severity').oneOf(e.severity, SEVERITIES) } : {}),
    };
  });
  if (o.baseline !== undefined) {
    config.baseline = path.resolve(baseDir, top.at('baseline').string(o.baseline));
    if (within) config.baselineWithin = within;
  }
  if (o.verify !== undefined) config.verifyEndpoints = readEndpoints(o.verify, top.at('verify'));
  return config;
}

/** `verify: {endpoints: {<name>: URL}}`: each an absolute http(s) URL. */
function readEndpoints(data: unknown, shape: Shape): Record<string, string> {
  const v = shape.object(data, ['endpoints']);
  if (v.endpoints === undefined) return {};
  const s = shape.at('endpoints');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(s.object(v.endpoints, v.endpoints !== null && typeof v.endpoints === 'object' ? Object.keys(v.endpoints) : []))) {
    const text = s.at(name).string(value);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return s.at(name).fail(`"${text}" is not a URL (expected e.g. https://proxy.example.com/github)`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') s.at(name).fail(`"${text}" is not an http(s) URL`);
    out[name] = text;
  }
  return out;
}
