import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** YAML (a superset of JSON), loaded on first use: importing the parser costs more than most scans. */
export function parseYaml(text: string): unknown {
  const yaml = require('yaml') as typeof import('yaml');
  return yaml.parse(text);
}
