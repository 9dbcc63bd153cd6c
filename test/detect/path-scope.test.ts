import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { pathMatcher, requiredPiece } from '../../src/rules/compile.js';
import type { RuleSpec } from '../../src/types.js';

function rule(id: string, fields: Partial<RuleSpec>): RuleSpec {
  return {
    id, name: id, provider: id, providerName: id, severity: 'high', keywords: ['password'], keywordCase: 'any',
    pattern: '(?m)^password[ \\t]+(\\S+)$', scope: 'buffer', allow: [], allowContext: [], fallback: false,
    examples: [], negativeExamples: [], references: [], source: 'test',
    revocation: { urgency: 'rotate', summary: 's', url: null, steps: ['s'], api: null, after: ['a'] },
    ...fields,
  };
}

const netrc = rule('netrc-password', { paths: ['.netrc', '_netrc'] });
const kube = rule('kube-password', { paths: ['**/.kube/config', '*.kubeconfig'] });
const generic = rule('generic-password', { fallback: true });
const provider = rule('acme-token', { keywords: ['acme_'], pattern: '\\b(acme_[a-z0-9]{12})\\b' });
const detector = new Detector({ rules: [netrc, kube, generic, provider], placeholders: [] });
const ids = (text: string, path?: string) => detector.scan(Buffer.from(text), path).map((m) => m.ruleId);

describe('rules scoped by path', () => {
  it('run only on files their globs name: a base name anywhere, or a path with slashes', () => {
    expect(ids('password hunter2\n', '.netrc')).toEqual(['netrc-password']);
    expect(ids('password hunter2\n', 'home/ci/_netrc')).toEqual(['netrc-password']);
    expect(ids('password hunter2\n', 'home/ci/.kube/config')).toEqual(['kube-password']);
    expect(ids('password hunter2\n', 'deploy/prod.kubeconfig')).toEqual(['kube-password']);
  });

  it('do not run on other files, nor on bytes of unknown origin; the generic rule stands there', () => {
    // The generic rule judges the value itself (src/detect/generic-value.ts): a random one in a
    // config-like file stands, a plain word (hunter2) or a value in docs or of unknown origin does not.
    expect(ids('password Xq7Lp2Kx9Mw4Zr8T\n', 'notes.txt')).toEqual(['generic-password']);
    expect(ids('password Xq7Lp2Kx9Mw4Zr8T\n', 'config')).toEqual(['generic-password']);
    expect(ids('password hunter2\n', 'docs/README.md')).toEqual([]);
    expect(ids('password hunter2\n')).toEqual([]);
  });

  it('win over a fallback rule on the same bytes and yield to a provider rule', () => {
    expect(ids('password acme_0a1b2c3d4e5f\n', '.netrc')).toEqual(['acme-token']);
    expect(ids('password acme_0a1b2c3d4e5f\n', 'notes.txt')).toEqual(['acme-token']);
  });
});

describe('pathMatcher', () => {
  it('matches names in any case and ignores the leading slash of an image path', () => {
    const m = pathMatcher(['_netrc', '*.PublishSettings', '**/.docker/config.json']);
    expect(m('Users/me/_NETRC')).toBe(true);
    expect(m('site/prod.publishsettings')).toBe(true);
    expect(m('/root/.docker/config.json')).toBe(true);
    expect(m('app/config.json')).toBe(false);
    expect(m('_netrc.bak')).toBe(false);
  });

  it('answers as the globs do when it skips their expression (no required text in the path)', () => {
    const m = pathMatcher(['**/group_vars/*', '*.yml', 'hosts.y*ml', '**/inventor{y,ies}/**/hosts']);
    const deep = pathMatcher(['app/**/bin']);
    // `**/` also matches nothing: the text a glob requires does not hold the slash before it.
    expect(m('group_vars/all')).toBe(true);
    expect(m('deploy/group_vars/all')).toBe(true);
    expect(deep('app/bin')).toBe(true);
    expect(deep('app/x/y/bin')).toBe(true);
    expect(deep('lib/app/bin')).toBe(false);
    // `*` matches an empty name part too, as picomatch's does.
    expect(m('.yml')).toBe(true);
    expect(m('CI/Build.YML')).toBe(true);
    expect(m('hosts.yaml')).toBe(true);
    expect(m('inventories/prod/hosts')).toBe(true);
    expect(m('src/index.js')).toBe(false);
    expect(m('group_vars.md')).toBe(false);
    expect(m('inventory/hosts.txt')).toBe(false);
  });

  it('names the text a glob requires, outside wildcards and groups', () => {
    expect(requiredPiece('**/group_vars/**/*.{yml,yaml,json}')).toBe('group_vars/');
    expect(requiredPiece('**/inventor{y,ies}/**/hosts')).toBe('inventor');
    expect(requiredPiece('data-sources*.json')).toBe('data-sources');
    expect(requiredPiece('*.{a,b}')).toBeNull();
    expect(requiredPiece('!**/x.yml')).toBeNull();
  });
});
