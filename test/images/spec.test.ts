// The contract says what the seed documents say: every operation, every documented status with its
// exact message as an example, security where it belongs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/sandbox.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a parsed spec
const spec = JSON.parse(readFileSync(join(root, 'generated', 'images', 'openapi.json'), 'utf8')) as Json;

function operation(method: string, path: string): Json {
  const op = spec.paths?.[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
  return op;
}

/** Follows a local $ref of the bundle. */
function deref(node: Json): Json {
  if (typeof node?.$ref !== 'string') return node;
  return deref(node.$ref.slice(2).split('/').reduce((n: Json, k: string) => n[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec));
}

function examplesOf(op: Json, status: string): Json[] {
  const response = deref(op.responses[status]);
  return Object.values(response.content ?? {}).flatMap((media) => Object.values((media as Json).examples ?? {}).map((e) => deref(e as Json)));
}

const operations: [string, string, string, string[], boolean][] = [
  ['get', '/api/v1/images/public', 'listPublicImages', ['200', '400', '500'], false],
  ['get', '/api/v1/images/public/{id}', 'getPublicImage', ['200', '400', '404', '500'], false],
  ['get', '/api/v1/images/{id}/icon', 'getImageIcon', ['200', '400', '404', '500'], false],
  ['get', '/api/v1/images/user', 'listUserImages', ['200', '400', '401', '500'], true],
  ['post', '/api/v1/images/import/{id}', 'importImage', ['200', '400', '401', '404', '500'], true],
  ['post', '/api/v1/images/purchase/{id}', 'purchaseImage', ['200', '400', '401', '404', '500'], true],
  ['post', '/api/v1/images/rate/{id}', 'rateImage', ['200', '400', '401', '404', '413', '415', '500'], true],
  ['get', '/api/v1/containers/{id}/snapshots', 'listSnapshots', ['200', '400', '401', '403', '404', '500'], true],
  ['post', '/api/v1/containers/{id}/snapshots', 'createSnapshot', ['201', '400', '401', '403', '404', '409', '413', '415', '500'], true],
  ['patch', '/api/v1/containers/{id}/snapshots/{name}', 'restoreSnapshot', ['200', '400', '401', '403', '404', '500'], true],
  ['put', '/api/v1/containers/{id}/snapshots/{name}', 'restoreSnapshotPut', ['200', '400', '401', '403', '404', '500'], true],
  ['patch', '/api/v1/containers/{id}/snapshots/{name}/alias', 'updateSnapshotAlias', ['200', '400', '401', '403', '404', '413', '415', '500'], true],
  ['put', '/api/v1/containers/{id}/snapshots/{name}/alias', 'updateSnapshotAliasPut', ['200', '400', '401', '403', '404', '413', '415', '500'], true],
  ['delete', '/api/v1/containers/{id}/snapshots/{name}', 'deleteSnapshot', ['200', '400', '401', '403', '404', '500'], true],
];

describe('the 14 operations', () => {
  it('are all there and nothing else', () => {
    const found = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
      Object.keys(item as Json).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).map((m) => `${m} ${path}`));
    expect(found.sort()).toEqual(operations.map(([m, p]) => `${m} ${p}`).sort());
  });

  it.each(operations)('%s %s is %s and documents exactly its statuses, each with an example', (method, path, id, statuses) => {
    const op = operation(method, path);
    expect(op.operationId).toBe(id);
    expect(Object.keys(op.responses).sort()).toEqual([...statuses].sort());
    for (const status of statuses) expect(examplesOf(op, status).length, `${id} ${status}`).toBeGreaterThan(0);
  });

  // Decision 18: the published client's PUT is the documents' PATCH under another verb, nothing else.
  it.each([
    ['/api/v1/containers/{id}/snapshots/{name}', 'restoreSnapshot'],
    ['/api/v1/containers/{id}/snapshots/{name}/alias', 'updateSnapshotAlias'],
  ])('PUT %s is %s under another name and verb, and otherwise the same', (path, id) => {
    const sameness = (op: Json) => ({ ...op, operationId: undefined, summary: undefined, description: undefined });
    expect(operation('put', path).operationId).toBe(`${id}Put`);
    expect(sameness(operation('put', path))).toEqual(sameness(operation('patch', path)));
  });

  it.each(operations)('%s %s (%s) is secured only when the documents show a 401', (method, path, _id, statuses, secured) => {
    const op = operation(method, path);
    expect(statuses.includes('401')).toBe(secured);
    expect(op.security).toEqual(secured ? [{ bearerAuth: [] }] : []);
  });
});

// The documents' messages, each of which must stand as an example of its operation and status.
const messages: [string, string, string, string][] = [
  ['get', '/api/v1/images/public', '500', 'Failed to retrieve public images'],
  ['get', '/api/v1/images/public/{id}', '404', 'Public image not found'],
  ['get', '/api/v1/images/public/{id}', '500', 'Failed to retrieve public image details'],
  ['get', '/api/v1/images/{id}/icon', '404', 'Image icon not found'],
  ['get', '/api/v1/images/{id}/icon', '500', 'Failed to retrieve image icon'],
  ['get', '/api/v1/images/user', '401', 'Authentication required'],
  ['get', '/api/v1/images/user', '500', 'Failed to retrieve user images'],
  ['post', '/api/v1/images/import/{id}', '400', 'Image is not free or already imported'],
  ['post', '/api/v1/images/import/{id}', '404', 'Image not found'],
  ['post', '/api/v1/images/import/{id}', '500', 'Failed to import image'],
  ['post', '/api/v1/images/purchase/{id}', '400', 'Insufficient balance or image already owned'],
  ['post', '/api/v1/images/purchase/{id}', '404', 'Image not found'],
  ['post', '/api/v1/images/purchase/{id}', '500', 'Failed to purchase image'],
  ['post', '/api/v1/images/rate/{id}', '400', 'Invalid rating value (must be 0-5)'],
  ['post', '/api/v1/images/rate/{id}', '404', 'Image not found'],
  ['post', '/api/v1/images/rate/{id}', '500', 'Failed to rate image'],
  ['get', '/api/v1/containers/{id}/snapshots', '400', 'Invalid container ID format'],
  ['get', '/api/v1/containers/{id}/snapshots', '403', 'You do not have permission to access this container'],
  ['get', '/api/v1/containers/{id}/snapshots', '404', 'Container not found'],
  ['post', '/api/v1/containers/{id}/snapshots', '400', 'Invalid request payload'],
  ['post', '/api/v1/containers/{id}/snapshots', '403', 'You do not have permission to create snapshots for this container'],
  ['post', '/api/v1/containers/{id}/snapshots', '404', 'Container not found'],
  ['patch', '/api/v1/containers/{id}/snapshots/{name}', '400', 'Invalid snapshot name or container ID'],
  ['patch', '/api/v1/containers/{id}/snapshots/{name}', '403', 'You do not have permission to restore this container'],
  ['patch', '/api/v1/containers/{id}/snapshots/{name}', '404', 'Container or snapshot not found'],
  ['patch', '/api/v1/containers/{id}/snapshots/{name}/alias', '400', 'Invalid alias value'],
  ['patch', '/api/v1/containers/{id}/snapshots/{name}/alias', '403', 'You do not have permission to update snapshots for this container'],
  ['delete', '/api/v1/containers/{id}/snapshots/{name}', '400', 'Invalid snapshot name or container ID'],
  ['delete', '/api/v1/containers/{id}/snapshots/{name}', '403', 'You do not have permission to delete snapshots for this container'],
  ['delete', '/api/v1/containers/{id}/snapshots/{name}', '404', 'Container or snapshot not found'],
];

describe('documented messages', () => {
  it.each(messages)('%s %s answers %s with "%s"', (method, path, status, message) => {
    const values = examplesOf(operation(method, path), status).map((e) => e.value);
    expect(values.map((v) => v.message)).toContain(message);
    for (const v of values) expect(v).toMatchObject({ statusCode: Number(status) });
  });

  it.each([
    ['get', '/api/v1/images/public', '200', 'Public images retrieved successfully'],
    ['get', '/api/v1/images/public/{id}', '200', 'Public image details retrieved successfully'],
    ['get', '/api/v1/images/user', '200', 'User images retrieved successfully'],
    ['post', '/api/v1/images/import/{id}', '200', 'Free image imported successfully'],
    ['post', '/api/v1/images/purchase/{id}', '200', 'Image purchased successfully'],
    ['post', '/api/v1/images/rate/{id}', '200', 'Image rated successfully'],
    ['get', '/api/v1/containers/{id}/snapshots', '200', 'Snapshots retrieved successfully'],
    ['post', '/api/v1/containers/{id}/snapshots', '201', 'Snapshot created successfully'],
    ['patch', '/api/v1/containers/{id}/snapshots/{name}', '200', 'Container restored from snapshot successfully'],
    ['patch', '/api/v1/containers/{id}/snapshots/{name}/alias', '200', 'Snapshot alias updated successfully'],
    ['delete', '/api/v1/containers/{id}/snapshots/{name}', '200', 'Snapshot deleted successfully'],
  ])('%s %s succeeds with %s "%s" in the envelope', (method, path, status, message) => {
    for (const e of examplesOf(operation(method, path), status)) expect(e.value).toMatchObject({ statusCode: Number(status), message });
  });

  it('401 answers say how to authenticate', () => {
    const unauthorized = deref(operation('get', '/api/v1/images/user').responses['401']);
    expect(Object.keys(unauthorized.headers)).toContain('WWW-Authenticate');
  });

  it('every 500 example is marked as not replayable, with a reason', () => {
    for (const [method, path] of operations) {
      for (const e of examplesOf(operation(method, path), '500')) {
        expect(e['x-replayable']).toBe(false);
        expect(e['x-skip-reason']).toMatch(/\w/);
      }
    }
  });
});

describe('constraints as schema, not prose', () => {
  const param = (method: string, path: string, name: string) => deref(operation(method, path).parameters.find((p: Json) => deref(p).name === name)).schema;
  it.each([
    ['page', { type: 'integer', minimum: 1, default: 1 }],
    ['limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }],
    ['sort_by', { enum: ['alias', 'added_date', 'price', 'rating'] }],
    ['sort_order', { enum: ['asc', 'desc'] }],
    ['min_rating', { minimum: 0, maximum: 5 }],
    ['min_price', { minimum: 0 }],
  ])('the public list parameter %s', (name, expected) => {
    expect(deref(param('get', '/api/v1/images/public', name))).toMatchObject(expected);
  });

  it('the user list sorts by created_at only', () => {
    expect(deref(param('get', '/api/v1/images/user', 'sort_by'))).toMatchObject({ enum: ['created_at'] });
  });

  it('a rating is a number from 0 to 5, fractions allowed', () => {
    const rating = deref(deref(spec.components.schemas.RatingRequest).properties.rating);
    expect(rating).toMatchObject({ type: 'number', minimum: 0, maximum: 5 });
    expect(rating.multipleOf).toBeUndefined();
  });

  it('an alias is at most 100 characters, or null to remove it', () => {
    expect(deref(spec.components.schemas.SnapshotAlias)).toMatchObject({ type: 'string', maxLength: 100 });
    const update = deref(spec.components.schemas.UpdateSnapshotAliasRequest);
    expect(update.required).toEqual(['alias']);
    expect(update.properties.alias.oneOf.map(deref).map((s: Json) => s.type)).toEqual(['string', 'null']);
  });

  it('expiry is a whole number of days', () => {
    expect(deref(spec.components.schemas.CreateSnapshotRequest).properties.expiry).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it('the envelope and the error body are shared components', () => {
    expect(deref(spec.components.schemas.SuccessEnvelope).required).toEqual(['statusCode', 'message', 'data']);
    expect(deref(spec.components.schemas.ErrorBody).required).toEqual(['statusCode', 'error', 'message']);
  });
});
