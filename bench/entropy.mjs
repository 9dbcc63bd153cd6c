#!/usr/bin/env node
// Measures what the entropy gates are chosen from: the Shannon entropy of random strings (what
// generated secrets look like) relative to the most a string of that length and charset can reach,
// against human-written values (words, identifiers, sentences). Run `npm run build` first.
import { randomBytes } from 'node:crypto';
import { charsetOf, maxEntropy, shannonEntropy } from '../dist/detect/entropy.js';

const ALPHABETS = {
  hex: '0123456789abcdef',
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  'alnum+symbols': 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*-_+=',
};
const random = (n, a) => [...randomBytes(n)].map((b) => a[b % a.length]).join('');
const ratio = (s) => shannonEntropy(s) / maxEntropy(s.length, charsetOf(s));
const pct = (xs, p) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

console.log('Random strings: entropy / max for their length and charset (10,000 samples each)');
console.log('charset          len   p0.1%   p1%    p50%');
for (const [name, a] of Object.entries(ALPHABETS)) {
  for (const n of [8, 12, 16, 24, 32, 40, 64]) {
    const xs = Array.from({ length: 10000 }, () => ratio(random(n, a)));
    console.log(`${name.padEnd(16)} ${String(n).padStart(3)}   ${pct(xs, 0.001).toFixed(3)}   ${pct(xs, 0.01).toFixed(3)}  ${pct(xs, 0.5).toFixed(3)}`);
  }
}

const human = [
  'changeme123', 'password123', 'my-app-database-secret', 'passwordResetTokenExpiry', 'SuperSecretPassword',
  'hunter2hunter2', 'aaaaaaaaaaaaaaaa', 'localhost:5432', 'development', 'not-a-real-secret', 'test_password_1',
  'DB_PASSWORD', 'admin_token_value', 'correcthorsebatterystaple', 'Summer2024!', 'qwerty123456', '1111222233334444',
];
console.log('\nHuman-written values: entropy / max');
for (const h of human) console.log(`  ${h.padEnd(28)} ${ratio(h).toFixed(3)}  (${shannonEntropy(h).toFixed(2)} bits/char)`);
