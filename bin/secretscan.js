#!/usr/bin/env node
// The secretscan command: the bundled CLI (dist/bundle/cli.cjs with its code cache, built by
// `npm run build`; see load-cli.js), or the unbundled build where the bundler was not installed.
'use strict';
const argv = process.argv.slice(2);

/** What the CLI's own handler cannot catch: a build that does not load. */
function fail(e) {
  process.stderr.write(`secretscan: internal error: ${e && e.message}\n  the installed package looks broken: reinstall it, or rebuild (npm run build)\n`);
  process.exitCode = 2;
}

if (argv.length === 1 && argv[0] === '--version') {
  // All it prints is the package's version: no need to load the CLI (~500 KB of code) for it.
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  try {
    const { bundleBuilt, loadCli } = require('./load-cli.js');
    if (bundleBuilt()) {
      const { cli, cache } = loadCli();
      if (process.env.SECRETSCAN_DEBUG) process.stderr.write(`secretscan: debug: bundled CLI, code cache ${cache}\n`);
      cli.run(argv).catch(fail);
    } else {
      import('../dist/cli/main.js').then(({ run }) => run(argv)).catch(fail);
    }
  } catch (e) {
    fail(e);
  }
}
