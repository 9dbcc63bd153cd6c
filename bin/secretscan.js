#!/usr/bin/env node
// The secretscan command: the bundled CLI (dist/bundle/cli.cjs with its code cache, built by
// `npm run build`; see load-cli.js), or the unbundled build where the bundler was not installed.
import { readFileSync } from 'node:fs';
import { bundleBuilt, loadCli } from './load-cli.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // All it prints is the package's version: no need to load the CLI (~500 KB of code) for it.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else if (bundleBuilt()) {
  const { cli, cache } = loadCli();
  if (process.env.SECRETSCAN_DEBUG) process.stderr.write(`secretscan: debug: bundled CLI, code cache ${cache}\n`);
  await cli.run(argv);
} else {
  const { run } = await import('../dist/cli/main.js');
  await run(argv);
}
