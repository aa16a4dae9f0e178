// Where a request breaks its operation's contract, row by row on the images contract and on the
// StackRox one (Basic or bearer): what the proxy reports as request_conformance.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../../conformance/loader/load-spec.ts';
import type { OperationSpec, SpecModel } from '../../../conformance/model.ts';
import { SchemaValidator } from '../../../conformance/schema.ts';
import { createRouter } from '../../router.ts';
import { checkRequest } from '../request-check.ts';

const IMAGE = '507f1f77bcf86cd799439021';
const ALICE = { authorization: 'Bearer alice-demo-token' };
const JSON_TYPE = { 'content-type': 'application/json' };
const specs: Record<string, SpecModel> = {};
const validator = new SchemaValidator();

beforeAll(async () => {
  specs.images = await loadSpec('spec/images/openapi.yaml');
  specs.stackrox = await loadSpec('spec/stackrox/openapi.yaml');
});

function verdict(spec: string, method: string, target: string, headers: Record<string, string> = {}, body?: string) {
  const url = new URL(target, 'http://x');
  const found = createRouter<OperationSpec>(specs[spec]!.operations).match(method, url.pathname);
  if (found.kind !== 'found') throw new Error(`no operation for ${method} ${target}`);
  return checkRequest(found.op, { pathParams: found.params, query: url.searchParams, headers, body: body === undefined ? undefined : { bytes: Buffer.from(body), cut: false } }, validator);
}

describe('request_conformance on the images contract', () => {
  it.each<[string, string, string, Record<string, string>, string | undefined, string[]]>([
    ['a valid list request', 'get', '/api/v1/images/public?os=ubuntu&limit=20&page=2', {}, undefined, []],
    ['a limit above its maximum', 'get', '/api/v1/images/public?limit=500', {}, undefined, ['query.limit']],
    ['a page that is not a number', 'get', '/api/v1/images/public?page=first', {}, undefined, ['query.page']],
    ['a sort key outside its enum', 'get', '/api/v1/images/public?sort_by=colour', {}, undefined, ['query.sort_by']],
    ['a secured operation without credentials', 'get', '/api/v1/images/user', {}, undefined, ['security']],
    ['a token without its scheme word', 'get', '/api/v1/images/user', { authorization: 'alice-demo-token' }, undefined, ['security']],
    ['a valid rating', 'post', `/api/v1/images/rate/${IMAGE}`, { ...ALICE, ...JSON_TYPE }, '{"rating":4.5}', []],
    ['a rating above 5', 'post', `/api/v1/images/rate/${IMAGE}`, { ...ALICE, ...JSON_TYPE }, '{"rating":6}', ['body/rating']],
    ['a rating body that is not JSON', 'post', `/api/v1/images/rate/${IMAGE}`, { ...ALICE, ...JSON_TYPE }, '{"rating":', ['body']],
    ['a rating as text/plain', 'post', `/api/v1/images/rate/${IMAGE}`, { ...ALICE, 'content-type': 'text/plain' }, '4', ['header.content-type']],
    ['a rating without its required body', 'post', `/api/v1/images/rate/${IMAGE}`, ALICE, undefined, ['body']],
  ])('%s', (_what, method, target, headers, body, where) => {
    const v = verdict('images', method, target, headers, body);
    expect(v.violations.map((x) => x.where.replace(/\/.*$/, (m) => (m.startsWith('/rating') ? m : '')))).toEqual(where);
  });

  it('says which credentials are missing and whether they were malformed', () => {
    expect(verdict('images', 'get', '/api/v1/images/user').credentials).toBe('no credentials');
    expect(verdict('images', 'get', '/api/v1/images/user', { authorization: 'alice-demo-token' }).credentials).toBe('malformed credentials');
    expect(verdict('images', 'get', '/api/v1/images/user', ALICE).credentials).toBeUndefined();
  });
});

describe('request_conformance on StackRox (bearer or Basic)', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['bearer', { authorization: 'Bearer admin-demo-token' }, []],
    ['Basic', { authorization: `Basic ${Buffer.from('admin:stackrox-demo-password').toString('base64')}` }, []],
    ['neither', {}, ['security']],
  ])('%s credentials', (_what, headers, where) => {
    expect(verdict('stackrox', 'get', '/v1/images', headers).violations.map((v) => v.where)).toEqual(where);
  });
});
