#!/usr/bin/env node
// Rewrites the provider table of README.md (between the providers:start and providers:end markers)
// from rules/*.yml. Run `npm run readme:providers` after adding or changing a rule file;
// test/rules/readme-providers.test.ts fails while the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadRulesDir } = await import(path.join(root, 'dist', 'rules', 'load.js'));
const { renderProviderMarkdown } = await import(path.join(root, 'dist', 'rules', 'provider-summary.js'));

const START = '<!-- providers:start';
const END = '<!-- providers:end -->';
const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) {
  console.error(`README.md: markers ${START} … ${END} not found`);
  process.exit(2);
}
const startLineEnd = readme.indexOf('\n', from) + 1;
const updated = `${readme.slice(0, startLineEnd)}${renderProviderMarkdown(loadRulesDir())}${readme.slice(to)}`;
if (updated === readme) console.log('README.md: provider table already up to date');
else {
  writeFileSync(readmePath, updated);
  console.log('README.md: provider table rewritten');
}
