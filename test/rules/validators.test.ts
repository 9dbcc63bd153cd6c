import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VALIDATORS, base62 } from '../../src/rules/validators.js';
import {
  BASE62,
  BASE64URL,
  githubToken,
  githubTokenWithBadChecksum,
  gitlabRoutableToken,
  jwt,
  npmToken,
  password,
  pypiToken,
  randomChars,
} from '../support/fake-keys.js';

const crc32Base62 = VALIDATORS['crc32-base62']!;
const isJwt = VALIDATORS.jwt!;
const randomToken = VALIDATORS['random-token']!;

describe('base62', () => {
  it('writes numbers in 0-9A-Za-z, left-padded with 0', () => {
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 1)).toBe('z');
    expect(base62(62, 2)).toBe('10');
    expect(base62(0xffffffff, 6)).toBe('4gfFC3');
  });
});

describe('crc32-base62', () => {
  it('accepts GitHub tokens whose last six characters are the checksum of the thirty before', () => {
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) expect(crc32Base62(githubToken(prefix))).toBe(true);
  });

  it('accepts npm tokens, which use the same scheme', () => {
    expect(crc32Base62(npmToken())).toBe(true);
  });

  it('rejects a token whose checksum does not match', () => {
    expect(crc32Base62(githubTokenWithBadChecksum())).toBe(false);
  });

  it('rejects a token with one character too many or too few', () => {
    const token = githubToken();
    expect(crc32Base62(token.slice(0, -1))).toBe(false);
    expect(crc32Base62(`${token}A`)).toBe(false);
  });
});

describe('jwt', () => {
  it('accepts header.payload.signature with a JSON header naming its alg', () => {
    expect(isJwt(jwt())).toBe(true);
    expect(isJwt(jwt({ alg: 'RS256', kid: 'k1' }))).toBe(true);
  });

  it('accepts an unsigned token (alg none, empty signature): it is still a bearer credential', () => {
    const [header, payload] = jwt({ alg: 'none' }).split('.');
    expect(isJwt(`${header}.${payload}.`)).toBe(true);
  });

  it('rejects a header without alg', () => {
    expect(isJwt(jwt({ typ: 'JWT' }))).toBe(false);
  });

  it('rejects two segments, four segments and empty header or payload', () => {
    const [header, payload, signature] = jwt().split('.');
    expect(isJwt(`${header}.${payload}`)).toBe(false);
    expect(isJwt(`${header}.${payload}.${signature}.${signature}`)).toBe(false);
    expect(isJwt(`.${payload}.${signature}`)).toBe(false);
    expect(isJwt(`${header}..${signature}`)).toBe(false);
  });

  it('rejects segments that are not base64url JSON', () => {
    const [, payload, signature] = jwt().split('.');
    const notJson = Buffer.from('alg=HS256').toString('base64url');
    expect(isJwt(`${notJson}.${payload}.${signature}`)).toBe(false);
    expect(isJwt(`eyJ!!!.${payload}.${signature}`)).toBe(false);
    const [header] = jwt().split('.');
    const textPayload = Buffer.from('hello there').toString('base64url');
    expect(isJwt(`${header}.${textPayload}.${signature}`)).toBe(false);
  });

  it('rejects a payload that starts as JSON but is garbled or cut short', () => {
    const [header, payload, signature] = jwt().split('.');
    const garbled = Buffer.concat([Buffer.from('{"aud":"api.example.test","jti":"'), Buffer.from(randomChars(BASE62, 30), 'latin1').map((b) => b | 0x80)]).toString('base64url');
    expect(isJwt(`${header}.${garbled}.${signature}`)).toBe(false);
    expect(isJwt(`${header}.${payload!.slice(0, payload!.length - 6)}.${signature}`)).toBe(false);
  });

  it("rejects a token signed with one of jwt.io's or the JWT libraries' sample keys, and keeps one signed with any other key", () => {
    const sign = (alg: string, hash: string, key: string) => {
      const [header, payload] = jwt({ alg, typ: 'JWT' }).split('.');
      return `${header}.${payload}.${createHmac(hash, key).update(`${header}.${payload}`).digest('base64url')}`;
    };
    expect(isJwt(sign('HS256', 'sha256', 'your-256-bit-secret'))).toBe(false);
    expect(isJwt(sign('HS384', 'sha384', 'a-string-secret-at-least-256-bits-long'))).toBe(false);
    expect(isJwt(sign('HS512', 'sha512', 'your-512-bit-secret'))).toBe(false);
    // The keys of PyJWT's and node jsonwebtoken's usage examples.
    expect(isJwt(sign('HS256', 'sha256', 'secret'))).toBe(false);
    expect(isJwt(sign('HS256', 'sha256', 'shhhhh'))).toBe(false);
    expect(isJwt(sign('HS256', 'sha256', randomChars(BASE62, 32)))).toBe(true);
    // The same key under another algorithm is no match: the signature does not hold.
    expect(isJwt(sign('HS256', 'sha512', 'your-512-bit-secret'))).toBe(true);
  });
});

describe('random-token', () => {
  it('rejects identifiers written by people: camelCase, PascalCase, one case', () => {
    for (const word of ['passwordResetTokenExpiry', 'PasswordResetTokenExpiry', 'getPasswordFromVault', 'alllowercaseletters', 'ALLUPPERCASELETTERS']) {
      expect(randomToken(word), word).toBe(false);
    }
  });

  it('rejects values without letters', () => {
    expect(randomToken('!!!!----')).toBe(false);
  });

  it('accepts generated values: letters with digits', () => {
    for (let i = 0; i < 20; i++) {
      const value = password();
      expect(randomToken(value), value).toBe(true);
    }
  });

  it('accepts letters-only values when upper and lower case are mixed about evenly', () => {
    expect(randomToken('kQzWpLmXvBnRtYhJ')).toBe(true);
  });
});

describe('gitlab-routable', () => {
  const routable = VALIDATORS['gitlab-routable']!;

  it('accepts routable tokens whose base36 CRC32 and length holder match', () => {
    for (const prefix of ['glpat-', 'gldt-', 'glrt-t1_', 'glft-']) expect(routable(gitlabRoutableToken(prefix))).toBe(true);
  });

  it('rejects a routable token with a changed character or a wrong checksum', () => {
    const token = gitlabRoutableToken();
    const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    expect(routable(flipped)).toBe(false);
    expect(routable(token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'))).toBe(false);
  });

  it('rejects a trailer whose length holder does not count the base64 part', () => {
    const token = gitlabRoutableToken();
    expect(routable(token.replace('glpat-', 'glpat-AAAA'))).toBe(false);
  });

  it('lets the older random tokens through: they carry no checksum', () => {
    expect(routable('glpat-3-G3SkiNly2W4Ri1CJq5')).toBe(true);
  });
});

describe('pypi-macaroon', () => {
  const macaroon = VALIDATORS['pypi-macaroon']!;

  it('accepts a token that decodes to a whole version 2 macaroon', () => {
    expect(macaroon(pypiToken())).toBe(true);
    expect(macaroon(pypiToken('test.pypi.org'))).toBe(true);
  });

  it('rejects a token cut short or with bytes added', () => {
    const token = pypiToken();
    expect(macaroon(token.slice(0, -4))).toBe(false);
    expect(macaroon(`${token}AAAA`)).toBe(false);
  });

  it('rejects a token whose signature field is not 32 bytes, or with no signature', () => {
    const token = pypiToken();
    const bytes = Buffer.from(token.slice(5), 'base64url');
    bytes[bytes.length - 33] = 31; // the signature's length byte
    expect(macaroon(`pypi-${bytes.toString('base64url')}`)).toBe(false);
    expect(macaroon(`pypi-${bytes.subarray(0, bytes.length - 34).toString('base64url')}`)).toBe(false);
  });

  it('rejects base64 that is not a macaroon at all', () => {
    expect(macaroon(`pypi-AgEIcHlwaS5vcmc${randomChars(BASE64URL, 120)}`)).toBe(false);
  });
});

describe('credential-value', () => {
  const set = VALIDATORS['credential-value']!;
  it('accepts short and plain values someone set: in a credential file they are leaks', () => {
    for (const v of ['admin', 'hunter2', 'Winter2024!', 'p@ss w0rd', 'x8Hj2kLq9PzW3mNb']) expect(set(v), v).toBe(true);
  });
  it('rejects placeholders, references to values kept elsewhere and encrypted values', () => {
    for (const v of ['', '   ', 'xxx', '***', '...', 'password', 'PASSWORD', 'secret', 'none', 'changeit', '$DB_PASS', '%(pw)s',
      '%DB_PASS%', '@db.password@', '#{vault.db}', '{{ db_pass }}', '<password>', 'ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)',
      '{cipher}AQBqZLh0dy', '!vault |', 'op://Prod/db/password', 'DB_PASSWORD', '{COQLCE6DU6GtcS5P=}']) {
      expect(set(v), v).toBe(false);
    }
  });
});

describe('basic-auth-pair', () => {
  const pair = VALIDATORS['basic-auth-pair']!;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('accepts base64 of user:password', () => {
    expect(pair(b64(`deploy:${randomChars(BASE64URL, 20)}`))).toBe(true);
    expect(pair(b64('ci-bot:admin123'))).toBe(true);
  });
  it('rejects base64 without a colon, with an empty side, of binary bytes, or of a placeholder password', () => {
    expect(pair(b64('justatokenwithoutcolon'))).toBe(false);
    expect(pair(b64('deploy:'))).toBe(false);
    expect(pair(b64(':Pq8Xk2Lm7Rw4'))).toBe(false);
    expect(pair(Buffer.from([0x01, 0xff, 0x3a, 0x88, 0x10, 0x20, 0x30, 0x40, 0x50]).toString('base64'))).toBe(false);
    expect(pair(b64('user:password'))).toBe(false);
    expect(pair('not base64!')).toBe(false);
  });
});

describe('cisco-type7', () => {
  const check = VALIDATORS['cisco-type7']!;
  /** Encodes like IOS: the password XORed with the published string, from `offset` on. */
  const type7 = (password: string, offset: number) => {
    const key = 'dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87';
    const hex = [...password].map((c, i) => (c.charCodeAt(0) ^ key.charCodeAt((offset + i) % key.length)).toString(16).padStart(2, '0'));
    return String(offset).padStart(2, '0') + hex.join('').toUpperCase();
  };

  it('accepts a value that decodes to a printable password, at any offset IOS uses', () => {
    for (const offset of [0, 7, 15, 52]) expect(check(type7('Rk7mQ2vX9pLw', offset)), String(offset)).toBe(true);
  });

  it('rejects Cisco\'s own example ("cisco"), a value that decodes to bytes that are not text, and malformed values', () => {
    expect(check('0822455D0A16')).toBe(false);
    expect(check(type7('cisco', 11))).toBe(false);
    expect(check('08DD727E4A381B7B50')).toBe(false);
    expect(check('53' + type7('Rk7mQ2vX9pLw', 0).slice(2))).toBe(false); // offset past the key
    expect(check(type7('Rk7mQ2vX9pLw', 3).slice(0, -1))).toBe(false); // half a byte
  });
});

describe('ed25519-keypair-bytes', () => {
  const check = VALIDATORS['ed25519-keypair-bytes']!;
  const pair = () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16);
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    return [...seed, ...pub];
  };

  it('accepts 64 byte values whose last 32 are the Ed25519 public key of the first 32, with any spacing', () => {
    const bytes = pair();
    expect(check(bytes.join(','))).toBe(true);
    expect(check(bytes.join(',\n  '))).toBe(true);
  });

  it('rejects a changed byte, 64 random bytes, 63 or 65 values and a value over 255', () => {
    const bytes = pair();
    expect(check(bytes.map((b, i) => (i === 40 ? (b + 1) % 256 : b)).join(','))).toBe(false);
    expect(check(Array.from({ length: 64 }, (_, i) => (i * 37) % 256).join(','))).toBe(false);
    expect(check(bytes.slice(1).join(','))).toBe(false);
    expect(check([...bytes, 1].join(','))).toBe(false);
    expect(check([300, ...bytes.slice(1)].join(','))).toBe(false);
  });
});

describe('bip39-mnemonic', () => {
  const check = VALIDATORS['bip39-mnemonic']!;

  it('accepts phrases of the English list whose checksum holds (BIP-39 test vector, 12 and 24 words)', () => {
    expect(check('ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic')).toBe(true);
    expect(check('lift foam uncle hurry orbit win urban boss adapt luggage lonely evoke')).toBe(true);
    expect(check('scorpion tiger season regular dolphin jeans advance decade witness wide combine arrive sniff assault real notice cheese habit pony cabbage grass repeat elite speed')).toBe(true);
  });

  it('rejects a wrong last word, a word off the list, 13 words, public development phrases and repeated-byte test vectors', () => {
    expect(check('lift foam uncle hurry orbit win urban boss adapt luggage lonely zoo')).toBe(false);
    expect(check('lift foam uncle hurry orbit win urban boss adapt luggage lonely evokes')).toBe(false);
    expect(check('lift foam uncle hurry orbit win urban boss adapt luggage lonely evoke evoke')).toBe(false);
    expect(check('test test test test test test test test test test test junk')).toBe(false);
    expect(check('legal winner thank year wave sausage worth useful legal winner thank yellow')).toBe(false);
  });
});
