// The environment every entry point reads (server/shared/config.ts).
import { describe, expect, it } from 'vitest';
import { readConfig } from '../shared/config.ts';

describe('readConfig', () => {
  it.each([
    ['defaults', {}, { port: 3000, host: '127.0.0.1', controlApi: true }],
    ['PORT and HOST', { PORT: '8080', HOST: '0.0.0.0' }, { port: 8080, host: '0.0.0.0', controlApi: false }],
    ['production turns the control API off', { NODE_ENV: 'production' }, { controlApi: false }],
    ['production with CONTROL_API=1 turns it on', { NODE_ENV: 'production', CONTROL_API: '1' }, { controlApi: true }],
    ['CONTROL_API=0 turns it off locally', { CONTROL_API: '0' }, { controlApi: false }],
    ['NODE_ENV=development keeps it on', { NODE_ENV: 'development' }, { controlApi: true }],
    ['NODE_ENV=test keeps it on', { NODE_ENV: 'test' }, { controlApi: true }],
    ['NODE_ENV=Production (any case) turns it off', { NODE_ENV: 'Production' }, { controlApi: false }],
    ['NODE_ENV=prod turns it off', { NODE_ENV: 'prod' }, { controlApi: false }],
    ['NODE_ENV=staging turns it off', { NODE_ENV: 'staging' }, { controlApi: false }],
  ])('%s', (_name, env, expected) => {
    expect(readConfig(env)).toMatchObject(expected);
  });

  it('refuses a PORT that is not a port', () => {
    expect(() => readConfig({ PORT: 'http' })).toThrow(/PORT/);
  });
});
