import { describe, expect, it } from 'vitest';
import type { ReceivedResponse } from './model.ts';
import { evaluateExpression, evaluateSimpleCondition, jsonPathSelect, resolveValue, type ExpressionScope } from './workflow-runtime.ts';

const response: ReceivedResponse = {
  status: 201,
  headers: { 'x-request-id': 'r-1' },
  contentType: 'application/json',
  text: '',
  json: { data: { name: 'snap-1', count: 3, items: [{ id: 'a', n: 1 }, { id: 'b', n: 5 }] } },
  durationMs: 1,
};
const scope: ExpressionScope = {
  inputs: { containerId: 'c1', nested: { x: 7 } },
  steps: { create: { outputs: { name: 'snap-1', count: 3 } } },
  response,
};

describe('Arazzo runtime expressions', () => {
  it.each([
    ['$statusCode', 201],
    ['$response.body#/data/name', 'snap-1'],
    ['$response.body#/data/items/1/id', 'b'],
    ['$response.header.X-Request-Id', 'r-1'],
    ['$inputs.containerId', 'c1'],
    ['$inputs.nested.x', 7],
    ['$steps.create.outputs.name', 'snap-1'],
  ])('%s', (expr, value) => {
    expect(evaluateExpression(expr, scope)).toEqual(value);
  });

  it('substitutes {$...} inside text and keeps the type of a whole expression', () => {
    expect(resolveValue({ a: '$inputs.nested', b: 'name-{$steps.create.outputs.name}', c: [1, '$statusCode'] }, scope)).toEqual({
      a: { x: 7 },
      b: 'name-snap-1',
      c: [1, 201],
    });
  });

  it.each([
    ['$statusCode == 201', true],
    ['$statusCode == 200', false],
    ['$statusCode != 200', true],
    ['$response.body#/data/count == $steps.create.outputs.count', true],
    ['$response.body#/data/count > 2 && $statusCode < 300', true],
    ['$response.body#/data/count >= 4', false],
    ["$response.body#/data/name == 'snap-1'", true],
    ['$response.body#/data/missing == null', false],
  ])('simple condition %s is %s', (condition, passed) => {
    expect(evaluateSimpleCondition(condition, scope).passed).toBe(passed);
  });

  it('says what it got when a condition fails', () => {
    expect(evaluateSimpleCondition('$statusCode == 200', scope)).toEqual({ passed: false, got: '$statusCode = 201' });
  });

  it.each([
    ['$.data.items[*].id', ['a', 'b']],
    ["$.data.items[?(@.id == 'b')]", [{ id: 'b', n: 5 }]],
    ['$.data.items[?(@.n > 1)].id', ['b']],
    ['$.data.items[?@.n < 2].id', ['a']],
    ["$['data']['name']", ['snap-1']],
    ['$.data.items[0].n', [1]],
    ['$.data.items.length', [2]],
    ["$.data.items[?(@.id == 'zzz')]", []],
  ])('JSONPath %s', (p, selected) => {
    expect(jsonPathSelect(response.json, p)).toEqual(selected);
  });
});
