import { describe, expect, it } from 'vitest';
import type { OperationSpec, ReceivedResponse, TestCase } from '../model.ts';
import { SchemaValidator } from '../schema.ts';
import { responseHeadersConformance } from './response-headers-conformance.ts';

// A header whose schema is recursive once dereferenced (a node that holds itself): the check judges
// it and names it, where writing the schema out would throw and make the check fail itself.
const tree: Record<string, unknown> = { type: 'object', properties: {} };
(tree.properties as Record<string, unknown>).child = tree;
const operation: OperationSpec = {
  operationId: 'getTree',
  method: 'get',
  path: '/tree',
  tag: 'tree',
  parameters: [],
  responses: [{ status: '200', content: [], headers: [{ name: 'X-Tree', required: true, schema: tree }] }],
  security: [],
  secured: false,
};
const testCase: TestCase = { kind: 'example', name: 'tree > getTree > example', tag: 'tree', operationId: 'getTree', operation, label: 'example', request: { method: 'get', pathTemplate: '/tree', pathParams: {}, query: [], headers: {}, caller: 'none' }, checks: ['response_headers_conformance'] };
const answer = (value: string): ReceivedResponse => ({ status: 200, headers: { 'x-tree': value }, contentType: '', text: '', durationMs: 1 });

describe('response_headers_conformance on a recursive header schema', () => {
  it.each([
    ['a value the schema refuses fails, naming the schema as recursive', 'plain text', { status: 'failed', message: 'expected header X-Tree matching its schema (a recursive schema), got "plain text"' }],
  ])('%s', (_what, value, outcome) => {
    expect(responseHeadersConformance.run({ testCase, response: answer(value), validator: new SchemaValidator(), options: {} })).toMatchObject(outcome);
  });
});
