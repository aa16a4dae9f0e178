import { describe, expect, it } from 'vitest';
import type { TestCase } from '../model.ts';
import { exampleCases } from './example-cases.ts';
import { loadSpec } from './load-spec.ts';

const spec = await loadSpec('conformance/test/fixtures/notes-api/openapi.yaml');
const cases = exampleCases(spec);
const byName = new Map(cases.map((c) => [c.name, c]));
const get = (name: string): TestCase => {
  const c = byName.get(name);
  if (!c) throw new Error(`no case ${name}; have ${[...byName.keys()].join(', ')}`);
  return c;
};

describe('the pairing convention (spec/README.md) on the notes fixture', () => {
  it('makes one case per response example, named Tag > operationId > example key', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'System > getHealth > example up',
      'Notes > listNotes > example all',
      'Notes > listNotes > example first-two',
      'Notes > listNotes > example no-token',
      'Notes > createNote > example created',
      'Notes > createNote > example title-too-long',
      'Notes > createNote > example no-token',
      'Notes > createNote > example store-down',
      'Notes > getNote > example mine',
      'Notes > getNote > example no-token',
      'Notes > getNote > example missing',
      'Notes > getNote > example not-yours',
      'Notes > deleteNote > example no-token',
    ]);
  });

  it.each([
    ['a query parameter takes its own example only', 'Notes > listNotes > example first-two', { query: [['limit', 2]] }],
    ['an optional query parameter without example K is left out', 'Notes > listNotes > example all', { query: [] }],
    ['a path parameter takes its own example', 'Notes > getNote > example missing', { pathParams: { noteId: 'n999' } }],
    ['a path parameter without example K takes its first', 'Notes > getNote > example not-yours', { pathParams: { noteId: 'n1' } }],
    ['a body takes its own example', 'Notes > createNote > example title-too-long', { body: { mediaType: 'application/json', value: { title: 'This title is far too long to be accepted by the API', priority: 3 } } }],
    ['a required body without example K takes its first', 'Notes > createNote > example no-token', { body: { mediaType: 'application/json', value: { title: 'Call the plumber', priority: 3, tag: 'home' } } }],
  ])('%s', (_rule, name, expected) => {
    expect(get(name).request).toMatchObject(expected);
  });

  it.each([
    ['x-caller defaults to owner on a secured operation', 'Notes > getNote > example mine', 'owner'],
    ['x-caller defaults to none on an open operation', 'System > getHealth > example up', 'none'],
    ['x-caller none is taken from the example', 'Notes > listNotes > example no-token', 'none'],
    ['x-caller other is taken from the example', 'Notes > getNote > example not-yours', 'other'],
  ])('%s', (_rule, name, caller) => {
    expect(get(name).request.caller).toBe(caller);
  });

  it('reads x-match and x-match-ignore; exact is the default', () => {
    expect(get('Notes > createNote > example created').example).toMatchObject({ status: 201, match: 'fields', ignore: ['/id'] });
    expect(get('Notes > getNote > example mine').example).toMatchObject({ status: 200, match: 'exact', ignore: [] });
  });

  it('keeps an x-replayable: false example as skipped, with its x-skip-reason', () => {
    expect(get('Notes > createNote > example store-down').skip).toBe('not replayable: the store cannot be made to fail from outside');
    expect(cases.filter((c) => c.skip)).toHaveLength(1);
  });
});
