import { describe, expect, it } from 'vitest';
import type { ReceivedResponse } from './model.ts';
import {
  evaluateExpression,
  evaluateJsonPathCondition,
  evaluateRegexCondition,
  evaluateSimpleCondition,
  resolvePayload,
  resolveValue,
  setAt,
  type ExpressionScope,
} from './workflow-runtime.ts';

const response: ReceivedResponse = {
  status: 201,
  headers: { 'x-request-id': 'r-1' },
  contentType: 'application/json',
  text: '',
  json: { data: { name: 'snap-1', count: 3, items: [{ id: 'a', n: 1 }, { id: 'b', n: 5 }] }, status: 'Available' },
  durationMs: 1,
};
const scope: ExpressionScope = {
  inputs: { containerId: 'c1', nested: { x: 7 }, customer: { firstName: 'Ann' }, quantity: 2 },
  steps: { create: { outputs: { name: 'snap-1', count: 3, list: [{ id: 'p1' }] } } },
  response,
  outputs: { orderId: 'o-9' },
  workflows: { login: { inputs: { user: 'ann' }, outputs: { token: 't-1' } } },
  components: { parameters: { page: { name: 'page', in: 'query', value: 1 } } },
  request: {
    sent: { method: 'POST', url: 'http://127.0.0.1/x?limit=2', headers: { accept: '*/*' } },
    pathParams: { id: 'c1' },
    query: [['limit', 2]],
    body: { alias: 'a' },
  },
};

describe('Arazzo runtime expressions', () => {
  it.each([
    ['$statusCode', 201],
    ['$response.body#/data/name', 'snap-1'],
    ['$response.body#/data/items/1/id', 'b'],
    ['$response.body.data.name', 'snap-1'],
    ['$response.header.X-Request-Id', 'r-1'],
    ['$inputs.containerId', 'c1'],
    ['$inputs.nested.x', 7],
    ['$inputs.customer#/firstName', 'Ann'],
    ['$steps.create.outputs.name', 'snap-1'],
    ['$steps.create.outputs.list#/0/id', 'p1'],
    ['$outputs.orderId', 'o-9'],
    ['$workflows.login.outputs.token', 't-1'],
    ['$workflows.login.inputs.user', 'ann'],
    ['$components.parameters.page', { name: 'page', in: 'query', value: 1 }],
    ['$request.path.id', 'c1'],
    ['$request.query.limit', 2],
    ['$request.header.accept', '*/*'],
    ['$request.body#/alias', 'a'],
    ['$method', 'POST'],
    ['$url', 'http://127.0.0.1/x?limit=2'],
  ])('%s', (expr, value) => {
    expect(evaluateExpression(expr, scope)).toEqual(value);
  });

  it.each([
    ['$steps.nope.outputs.x', /step nope has not run/],
    ['$workflows.nope.outputs.x', /workflow nope has not run/],
    ['$bogus', /unsupported runtime expression/],
  ])('%s is an error', (expr, message) => {
    expect(() => evaluateExpression(expr, scope)).toThrow(message);
  });

  it('substitutes {$...} inside text and keeps the type of a whole expression', () => {
    expect(resolveValue({ a: '$inputs.nested', b: 'name-{$steps.create.outputs.name}', c: [1, '$statusCode'] }, scope)).toEqual({
      a: { x: 7 },
      b: 'name-snap-1',
      c: [1, 201],
    });
  });
});

describe('request payloads', () => {
  it.each([
    ['an object, member by member', { alias: '$inputs.containerId', n: 1 }, 'application/json', [], { alias: 'c1', n: 1 }],
    ['a JSON template in text: a whole "{$...}" keeps its type', '{ "customer": "{$inputs.customer}", "q": "{$inputs.quantity}", "s": "id-{$inputs.containerId}" }', 'application/json', [], { customer: { firstName: 'Ann' }, q: 2, s: 'id-c1' }],
    ['a whole expression', '$inputs.customer', 'application/json', [], { firstName: 'Ann' }],
    ['XML text gets values as text', '<q>{$inputs.quantity}</q>', 'application/xml', [], '<q>2</q>'],
    ['replacements set values at JSON pointers', { a: { b: 1 }, list: [] }, 'application/json', [{ target: '/a/b', value: '$inputs.quantity' }, { target: '/list/-', value: 'x' }, { target: '/new/deep', value: true }], { a: { b: 2 }, list: ['x'], new: { deep: true } }],
  ])('%s', (_, payload, contentType, replacements, body) => {
    expect(resolvePayload(payload, contentType, replacements, scope)).toEqual(body);
  });

  it('a replacement does not change the payload it was given', () => {
    const payload = { a: 1 };
    setAt(payload, '/a', 2);
    expect(payload).toEqual({ a: 1 });
  });
});

describe('simple conditions (the Arazzo 1.0 grammar)', () => {
  it.each([
    ['$statusCode == 201', true],
    ['$statusCode == 200', false],
    ['$statusCode != 200', true],
    ["$statusCode == '201'", true],
    ['$response.body#/data/count == $steps.create.outputs.count', true],
    ['$response.body#/data/count > 2 && $statusCode < 300', true],
    ['$response.body#/data/count >= 4', false],
    ['$response.body#/data/count <= 3', true],
    ["$response.body#/data/name == 'snap-1'", true],
    ["$response.body#/status == 'available'", true], // string comparisons ignore case
    ['$response.body#/missing == null', true], // a missing value is null
    ['$response.body#/data/name != null', true],
    ['$statusCode == 200 || $statusCode == 201', true],
    ['$statusCode == 200 || $statusCode == 202', false],
    ['!($statusCode == 200)', true],
    ['!($statusCode == 201)', false],
    ['($statusCode == 200 || $statusCode == 201) && $response.body#/data/count == 3', true],
    ['$statusCode == 200 || $statusCode == 201 && $response.body#/data/count == 4', false], // && binds tighter
    ["'it''s' == 'IT''S'", true],
    ['true', true],
    ['{$statusCode == 201}', true], // as the Arazzo spec's JSON example writes it
    ['$response.body#/data/items/0/n < $response.body#/data/items/1/n', true],
  ])('%s is %s', (condition, passed) => {
    expect(evaluateSimpleCondition(condition, scope).passed).toBe(passed);
  });

  it('says what it got when a condition fails', () => {
    expect(evaluateSimpleCondition('$statusCode == 200', scope)).toEqual({ passed: false, got: '$statusCode = 201' });
  });

  it.each(['$statusCode ==', '($statusCode == 201', "$statusCode == 'open", '$statusCode == 201 201'])('%s cannot be read', (condition) => {
    expect(() => evaluateSimpleCondition(condition, scope)).toThrow();
  });
});

describe('regex criteria', () => {
  it.each([
    ['^201$', 201, true],
    ['^200$', 201, false],
    ['/^SNAP/i', 'snap-1', true],
    ['^snap-\\d$', 'snap-1', true],
    ['"name":"snap-1"', { name: 'snap-1' }, true],
  ])('%s on %j is %s', (pattern, context, passed) => {
    expect(evaluateRegexCondition(pattern, context).passed).toBe(passed);
  });

  it('a pattern that is not a regular expression is an error', () => {
    expect(() => evaluateRegexCondition('(', 'x')).toThrow(/not a regular expression/);
  });
});

describe('jsonpath criteria (RFC 9535, by jsonpath-rfc9535)', () => {
  const body = response.json;
  it.each([
    ['an RFC 9535 filter below the root', "$.data.items[?@.id == 'b']", true],
    ['the same, selecting nothing', "$.data.items[?@.id == 'zzz']", false],
    ['a parenthesised filter, as older Arazzo files write it', '$.data.items[?(@.n > 1)]', true],
    ["the Arazzo spec's root filter, @ being the root", '$[?count(@.data.items) > 0]', true],
    ['a root filter that holds for no reading', '$[?count(@.data.items) > 5]', false],
    ['a root filter on the children of the root (RFC 9535 reading)', "$[?@.name == 'snap-1']", true],
    ['a comparison of queries, as Redocly\'s museum example writes it', "$.data.name == 'snap-1'", true],
    ['a comparison of queries that does not hold', "$.data.name == 'other'", false],
    ['.length in a comparison reads as length()', '$.data.items.length == 2', true],
    ['comparisons joined by &&', "$.data.items.length > 1 && $.status == 'Available'", true],
    ['a function of RFC 9535', '$[?length(@.data.items) == 3]', false],
    ['a path that selects a value', '$.data.count', true],
    ['a path that selects nothing', '$.data.missing', false],
    ['an embedded expression inside quotes', "$.data.items[?@.id == '{$inputs.containerId}']", false],
    ['an embedded expression as a literal', '$.data.items[?@.n == {$inputs.quantity}]', false],
    ['an embedded expression as a literal that matches', '$.data.items[?@.n == {$steps.create.outputs.count}]', false],
    ['an embedded step output inside quotes that matches', "$[?@.data.name == '{$steps.create.outputs.name}']", true],
  ])('%s: %s is %s', (_, condition, passed) => {
    expect(evaluateJsonPathCondition(condition, body, scope).passed).toBe(passed);
  });

  it.each(['$.data.items[?@.name.search(/x/)]', 'data.name', '$.data[?'])('%s is not JSONPath: an error naming it', (condition) => {
    expect(() => evaluateJsonPathCondition(condition, body, scope)).toThrow(/not an RFC 9535 JSONPath query/);
  });

  it('says what it looked in when nothing is selected', () => {
    expect(evaluateJsonPathCondition("$.data[?@.id == 'q']", { data: [{ id: 'p' }] }, scope).got).toBe('nothing selected from {"data":[{"id":"p"}]}');
  });
});
