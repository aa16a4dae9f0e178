import { describe, expect, it } from 'vitest';
import { callerRoles as pluginCallerRoles } from '../scripts/redocly-examples-plugin.js';
import { allowedCallers, callerRoles, exampleCaller, isSecured } from './roles.ts';

// The lint plugin keeps a thin copy of callerRoles (Redocly loads it with plain Node): one table, both.
const ROOTS: [string, Record<string, unknown>, string[]][] = [
  ['no x-caller-roles: owner and other', {}, ['owner', 'other']],
  ['declared roles, in order', { 'x-caller-roles': ['admin', 'analyst'] }, ['admin', 'analyst']],
  ['an empty list names none: owner and other', { 'x-caller-roles': [] }, ['owner', 'other']],
  ['non-strings and empty names are dropped', { 'x-caller-roles': ['a', 3, '', null, 'b'] }, ['a', 'b']],
  ['not a list: owner and other', { 'x-caller-roles': 'admin' }, ['owner', 'other']],
];

describe('caller roles, read once', () => {
  it.each(ROOTS)('%s (the module)', (_what, root, roles) => {
    expect(callerRoles(root)).toEqual(roles);
  });
  it.each(ROOTS)('%s (the lint plugin agrees)', (_what, root) => {
    expect(pluginCallerRoles(root)).toEqual(callerRoles(root));
  });

  it.each<[string, Record<string, unknown>, boolean, string]>([
    ['x-caller wins', { 'x-caller': 'other' }, true, 'other'],
    ['a secured operation defaults to the first role', {}, true, 'admin'],
    ['an open operation defaults to none', {}, false, 'none'],
  ])('%s', (_what, ext, secured, caller) => {
    expect(exampleCaller(ext, ['admin', 'analyst'], secured)).toBe(caller);
  });

  it.each<[string, unknown[], boolean]>([
    ['no requirement: open', [], false],
    ['one scheme: secured', [{ key: [] }], true],
    ['an empty requirement lets anyone in', [{}, { key: [] }], false],
  ])('%s', (_what, security, secured) => {
    expect(isSecured(security)).toBe(secured);
  });

  it('none is always a caller', () => {
    expect(allowedCallers(['a'])).toEqual(['none', 'a']);
  });
});
