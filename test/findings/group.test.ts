import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { groupFindings, type LocatedMatch } from '../../src/findings/group.js';
import { prepareScan } from '../../src/scan/engine.js';
import { githubToken, password } from '../support/fake-keys.js';

const { rules } = prepareScan(defaultConfig('/repo'));
const ghp = [...rules.values()].find((r) => r.keywords.includes('ghp_'))!;
const generic = [...rules.values()].find((r) => r.fallback && r.severity === 'medium')!;

function at(ruleId: string, secret: string, path: string, line: number): LocatedMatch {
  return { ruleId, secret, path, line, column: 5, endLine: line, endColumn: 5 + secret.length, entropy: 4.5, lineText: '' };
}

describe('groupFindings', () => {
  it('makes one finding per secret, with every place it was found, sorted by path and line', () => {
    const key = githubToken();
    const [finding, ...rest] = groupFindings([at(ghp.id, key, 'b.env', 3), at(ghp.id, key, 'a.env', 9), at(ghp.id, key, 'a.env', 2)], rules);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ ruleId: ghp.id, provider: 'github', severity: ghp.severity, secret: key });
    expect(finding!.locations.map((l) => `${l.path}:${l.line}`)).toEqual(['a.env:2', 'a.env:9', 'b.env:3']);
  });

  it('lists a location once when two matches land on it', () => {
    const key = githubToken();
    expect(groupFindings([at(ghp.id, key, '.env', 1), at(ghp.id, key, '.env', 1)], rules)[0]!.locations).toHaveLength(1);
  });

  it('keeps different secrets apart and puts the most severe first', () => {
    const findings = groupFindings([at(generic.id, password(), 'a.env', 1), at(ghp.id, githubToken(), 'z.env', 1)], rules);
    expect(findings.map((f) => f.ruleId)).toEqual([ghp.id, generic.id]);
  });

  it('orders findings on the same path and line the same way whatever order their matches came in', () => {
    // Two versions of one file, each with its own key on line 1: workers may answer in either order.
    const one = at(ghp.id, githubToken(), 'config/.env', 1);
    const two = at(ghp.id, githubToken(), 'config/.env', 1);
    const ids = (ms: LocatedMatch[]) => groupFindings(ms, rules).map((f) => f.id);
    expect(ids([one, two])).toEqual(ids([two, one]));
    expect(ids([one, two])).toEqual([...ids([one, two])].sort());
  });

  it('redacts each finding for display', () => {
    const key = githubToken();
    const [finding] = groupFindings([at(ghp.id, key, '.env', 1)], rules);
    expect(finding!.redacted).not.toContain(key);
  });
});
