#!/usr/bin/env node
// The secretscan command: the bundled CLI (dist/bundle/, built by `npm run build`), or the unbundled
// build where the bundler was not installed.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/cli.js', import.meta.url);
const { run } = existsSync(bundled) ? await import(bundled.href) : await import('../dist/cli/main.js');

await run();
