import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { patternAnchors, type Anchor } from '../../src/rules/anchors.js';
import { CompiledRule } from '../../src/rules/compile.js';
import { loadRulesDir } from '../../src/rules/load.js';
import { exampleMatches } from '../support/rule-matches.js';

// Texts one of which every match of a pattern holds: what lets a rule whose keywords are only
// context run around `EAA` instead of over a whole file.

const texts = (p: string) => patternAnchors(p)?.map((a) => (a.ci ? `~${a.text}` : a.text)) ?? null;

describe('patternAnchors', () => {
  it('finds literal runs, in their case or in any case under (?i)', () => {
    expect(texts('\\b(EAA[A-Za-z0-9]{90,1000})\\b')).toEqual(['EAA']);
    expect(texts('(?i)twilio[\\w.-]{0,20}=([0-9a-f]{32})')).toEqual(['~twilio']);
    expect(texts('(?i:Acme)_([0-9a-f]{32})')).toEqual(['~acme_']);
    expect(texts('x(?i)Key([0-9]{8})')).toEqual(['~xkey']); // x keeps its case but the run is searched in any
    expect(texts('(?i)a(?-i:BCD)([0-9]{8})')).toEqual(['~abcd']);
  });

  it('expands small classes, optional pieces and alternations into sets', () => {
    expect(texts('api[_.-]?key=([0-9]{8})')?.sort()).toEqual(['api-key=', 'api.key=', 'api_key=', 'apikey=']);
    expect(texts('(?:sk|rk)_live_([0-9a-z]{24})')?.sort()).toEqual(['rk_live_', 'sk_live_']);
    expect(texts('\\b(t1\\.[0-9A-Za-z_-]{1,400}\\.[0-9A-Za-z_-]{86})')).toEqual(['t1.']);
    expect(texts('(?:ab){2}cd([0-9]{4})')).toEqual(['ababcd']);
    expect(texts('(?P<k>xoxb-)([0-9]+)')).toEqual(['xoxb-']);
    expect(texts('\\x41\\x42\\x43([0-9]+)')).toEqual(['ABC']);
    expect(texts('[\\]]ab([0-9]+)')).toEqual([']ab']);
    // Counts RE2 does not read (a leading zero, ten digits) are text: ab{03} matches "ab{03}", not "abbb".
    expect(texts('ab{03}([0-9]+)')).toEqual(['ab{03}']);
    expect(texts('ab{1000000000}([0-9]+)')).toEqual(['ab{1000000000}']);
    // A range ends at one character, even [ before a colon: [%-[:] is a class, then |, a branch without y{3}.
    expect(patternAnchors('[%-[:]|:]]y{3}([0-9]+)')).toBeNull();
  });

  it('keeps the longest requirement of a sequence, and one from every branch', () => {
    expect(texts('ab[0-9]+secret([0-9]+)')).toEqual(['secret']);
    expect(texts('(?:ghp_|gho_)[0-9A-Za-z]{36}|(?i)github[\\w.-]*=([0-9a-f]{40})')?.sort()).toEqual(['gho_', 'ghp_', '~github']);
    // A text holding another adds nothing.
    expect(texts('(?i:t\\.ly|tly)(?:[_.-]|\\b)x{0,3}([0-9]+)')?.sort()).toEqual(['~t.ly', '~tly']);
  });

  it('searches in any case texts whose k or s the pattern takes in both cases (RE2 then also matches the Kelvin sign and the long s)', () => {
    expect(texts('[Kk]ey_([0-9]+)')).toEqual(['~key_']);
    expect(texts('(?:B|[Kk])ey_([0-9]+)')?.sort()).toEqual(['Bey_', '~key_']);
    expect(new RE2('(?:B|[Kk])ey_([0-9]+)').test('\u212Aey_12')).toBe(true);
    expect(texts('(?:front|Front|FRONT)_([0-9]+)')?.sort()).toEqual(['FRONT_', 'Front_', 'front_']); // no k or s: one case each
  });

  it('gives none when a branch or the whole pattern requires no text of three characters', () => {
    expect(patternAnchors('\\bAC[0-9a-f]{32}\\b|(?i)twilio=([0-9a-f]{32})')).toBeNull(); // AC: two characters
    expect(patternAnchors('([0-9a-f]{32})')).toBeNull();
    expect(patternAnchors('(?:abc)?([0-9]+)')).toBeNull(); // optional
    expect(patternAnchors('(?:abc)*([0-9]+)')).toBeNull();
    expect(patternAnchors('[a-c]xy([0-9]+)')).toBeNull(); // a range is not expanded: only "xy" is left
    expect(patternAnchors('[^x]yz([0-9]+)')).toBeNull();
  });

  it('gives none for syntax it does not read, and for too many texts', () => {
    expect(patternAnchors('\\Qabc\\E([0-9]+)')).toBeNull();
    expect(patternAnchors('(?=abc)([0-9]+)')).toBeNull();
    expect(patternAnchors('(abc')).toBeNull();
    expect(patternAnchors('\\pLabc\\e([0-9]+)')).toBeNull();
    // A repetition after a bare (?i) repeats what came before it: abcd(?i)? is abcd?, which matches abc.
    expect(patternAnchors('abcd(?i)?([0-9]+)')).toBeNull();
    expect(patternAnchors('(?:abcd)(?i)(?s){0}([0-9]+)')).toBeNull();
    const many = Array.from({ length: 20 }, (_, i) => `key${String.fromCharCode(97 + i)}xyz`).join('|');
    expect(patternAnchors(`(?:${many})=([0-9]+)`)).toBeNull();
  });

  // A guard against a hang, not a measure: collecting every branch's texts took 45 s here.
  it('gives up on a pattern of thousands of alternatives without collecting them all (a custom rule listing words)', { timeout: 15_000 }, () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `word${i.toString(36)}x`).join('|');
    expect(patternAnchors(`(?:${words})=([0-9]+)`)).toBeNull();
  });

  it('holds for every match of every built-in rule example', () => {
    // Unsound anchors would make the detector skip a key: each example's matches must hold one.
    const holds = (s: string, anchors: Anchor[]) => anchors.some((a) => (a.ci ? s.toLowerCase().includes(a.text) : s.includes(a.text)));
    const matches = exampleMatches();
    const broken: string[] = [];
    let checked = 0;
    for (const { spec, match } of matches) {
      const anchors = patternAnchors(spec.pattern);
      if (!anchors) continue;
      checked++;
      if (!holds(match, anchors)) broken.push(`${spec.id}: ${match}`);
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(2000);
  });

  it('is used only by rules whose keywords do not place them', () => {
    const rules = loadRulesDir().map((s) => new CompiledRule(s));
    const anchored = rules.filter((r) => r.anchors);
    expect(anchored.map((r) => r.spec.id)).toContain('facebook-access-token');
    expect(anchored.length).toBeGreaterThan(15);
    expect(anchored.every((r) => !r.spec.paths && r.spec.scope !== 'line' && r.reach === Number.POSITIVE_INFINITY)).toBe(true);
    // Texts in any case would need a search no faster than the rule's own pattern: not used.
    expect(anchored.every((r) => r.anchors!.every((a) => !a.ci))).toBe(true);
    expect(rules.find((r) => r.spec.id === 'cloudflare-global-api-key')!.anchors).toBeNull();
  });
});
