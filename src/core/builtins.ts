// Node's crypto and zlib, loaded when first used: importing node:crypto costs a one-file scan
// ~7 ms, and a clean pre-commit scan never hashes, signs or checks a checksum.
import type * as Crypto from 'node:crypto';
import type * as Zlib from 'node:zlib';

export function crypto(): typeof Crypto {
  return process.getBuiltinModule('node:crypto');
}

export function zlib(): typeof Zlib {
  return process.getBuiltinModule('node:zlib');
}
