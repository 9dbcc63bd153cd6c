// The package's version: set by the CLI bundle's build, else read from package.json next to dist/.
import { readFileSync } from 'node:fs';

/** Replaced with the version by esbuild in the CLI bundle (scripts/build.mjs); undeclared elsewhere. */
declare const SECRETSCAN_VERSION: string | undefined;

export const VERSION: string =
  typeof SECRETSCAN_VERSION === 'string'
    ? SECRETSCAN_VERSION
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
