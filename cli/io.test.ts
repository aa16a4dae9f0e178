// The conventions every octk command shares: colour by NO_COLOR / FORCE_COLOR / terminal, comma lists, ports.
import { describe, expect, it } from 'vitest';
import { UsageError, commaList, portOf, wantsColor } from './io.ts';

describe('wantsColor', () => {
  it.each<[string, NodeJS.ProcessEnv, boolean, boolean]>([
    ['a terminal gets colour', {}, true, true],
    ['a pipe gets none', {}, false, false],
    ['NO_COLOR turns it off on a terminal', { NO_COLOR: '1' }, true, false],
    ['an empty NO_COLOR is no NO_COLOR', { NO_COLOR: '' }, true, true],
    ['FORCE_COLOR forces it into a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR wins over NO_COLOR', { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 turns it off on a terminal', { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR=false turns it off too', { FORCE_COLOR: 'false' }, true, false],
  ])('%s', (_what, env, isTTY, expected) => {
    expect(wantsColor({ write: () => true, isTTY }, env)).toBe(expected);
  });
});

describe('commaList', () => {
  it.each<[string[] | undefined, string[]]>([
    [undefined, []],
    [['a,b'], ['a', 'b']],
    [['a', 'b,c'], ['a', 'b', 'c']],
    [[' a , ,b '], ['a', 'b']],
  ])('%j -> %j', (given, expected) => {
    expect(commaList(given)).toEqual(expected);
  });
});

describe('portOf', () => {
  it.each([['0', 0], ['4010', 4010], ['65535', 65535]])('%s is port %i', (text, port) => {
    expect(portOf(text, '--port')).toBe(port);
  });
  it.each(['-1', '65536', 'abc', '4010x', '', '1.5'])('%j is refused naming where it came from', (text) => {
    expect(() => portOf(text, 'PORT')).toThrow(new UsageError(`PORT ${text} is not a port (0-65535)`));
  });
});
