// The StackRox contract says what the seed page and the facts file say: the 10 operations, every
// documented status with examples, grpc-gateway's encoding, the error body, Bearer or Basic, no caching.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/sandbox.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a parsed spec
const spec = JSON.parse(readFileSync(join(root, 'generated', 'stackrox', 'openapi.json'), 'utf8')) as Json;

function deref(node: Json): Json {
  if (typeof node?.$ref !== 'string') return node;
  return deref(node.$ref.slice(2).split('/').reduce((n: Json, k: string) => n[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec));
}
const operation = (method: string, path: string): Json => {
  const op = spec.paths?.[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
  return op;
};
const examplesOf = (op: Json, status: string) =>
  Object.values(deref(op.responses[status]).content ?? {}).flatMap((media) => Object.values((media as Json).examples ?? {}).map((e) => deref(e as Json)));

// [method, path, operationId, statuses]
const OPERATIONS: [string, string, string, string[]][] = [
  ['get', '/v1/imagescount', 'countImages', ['200', '400', '401', '403']],
  ['get', '/v1/images', 'listImages', ['200', '400', '401', '403']],
  ['delete', '/v1/images', 'deleteImages', ['200', '400', '401', '403', '500']],
  ['get', '/v1/export/images', 'exportImages', ['200', '400', '401', '403']],
  ['get', '/v1/images/{id}', 'getImage', ['200', '400', '401', '403', '404']],
  ['get', '/v1/watchedimages', 'getWatchedImages', ['200', '401', '403']],
  ['get', '/v1/images/cache/invalidate', 'invalidateScanAndRegistryCaches', ['200', '401', '403']],
  ['post', '/v1/images/scan', 'scanImage', ['200', '400', '401', '403', '500']],
  ['delete', '/v1/watchedimages', 'unwatchImage', ['200', '401', '403']],
  ['post', '/v1/watchedimages', 'watchImage', ['200', '400', '401', '403']],
];

describe('the 10 operations of the seed', () => {
  it('are all there and nothing else', () => {
    const found = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
      Object.keys(item as Json).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).map((m) => `${m} ${path}`));
    expect(found.sort()).toEqual(OPERATIONS.map(([m, p]) => `${m} ${p}`).sort());
  });

  it.each(OPERATIONS)('%s %s is %s and documents exactly its statuses, each with an example', (method, path, id, statuses) => {
    const op = operation(method, path);
    expect(op.operationId).toBe(id);
    expect(Object.keys(op.responses).sort()).toEqual([...statuses].sort());
    for (const status of statuses) expect(examplesOf(op, status).length, `${id} ${status}`).toBeGreaterThan(0);
  });

  it.each(OPERATIONS)('%s %s: every answer forbids caching; a 401 names both schemes', (method, path) => {
    const op = operation(method, path);
    for (const [status, response] of Object.entries(op.responses as Json)) {
      const headers = deref(response as Json).headers ?? {};
      expect(deref(headers['Cache-Control']).schema, status).toEqual({ type: 'string', const: 'no-store, no-cache' });
      if (status === '401') expect(deref(headers['WWW-Authenticate']).schema.const).toBe('Bearer realm="stackrox", Basic realm="stackrox"');
    }
  });

  it('every operation takes a Bearer API token or Basic credentials', () => {
    expect(spec.security).toEqual([{ bearerAuth: [] }, { basicAuth: [] }]);
    expect(spec.components.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' }, basicAuth: { type: 'http', scheme: 'basic' } });
    for (const [method, path] of OPERATIONS) expect(operation(method, path).security).toBeUndefined();
    expect(spec['x-caller-roles']).toEqual(['admin', 'analyst', 'noaccess']);
  });
});

describe('the error body and its status map', () => {
  const STATUS_CODE: Record<string, number> = { '400': 3, '401': 16, '403': 7, '404': 5, '500': 13 };

  it('is ExtendedRpcStatus {code, message, details, error}', () => {
    expect(deref(spec.components.schemas.ExtendedRpcStatus)).toMatchObject({ required: ['code', 'message', 'details', 'error'], additionalProperties: false });
  });

  it.each(OPERATIONS)('%s %s: every error example carries the gRPC code of its status, error = message', (method, path) => {
    const op = operation(method, path);
    for (const status of Object.keys(op.responses).filter((s) => s !== '200')) {
      for (const example of examplesOf(op, status)) {
        const body = 'error' in example.value && typeof example.value.error === 'object' ? example.value.error : example.value;
        expect(body.code, `${op.operationId} ${status}`).toBe(STATUS_CODE[status]);
        if (typeof example.value.error === 'string') expect(example.value.error).toBe(example.value.message);
      }
    }
  });

  it.each([
    ['get', '/v1/images/{id}', '400', 'id must be specified: invalid arguments'],
    ['post', '/v1/images/scan', '400', 'image name must be specified: invalid arguments'],
    ['delete', '/v1/images', '500', 'a scoping query is required'],
  ])('%s %s %s says "%s" as the service does', (method, path, status, message) => {
    expect(examplesOf(operation(method, path), status).map((e) => e.value.message)).toContain(message);
  });
});

describe('grpc-gateway encoding', () => {
  const schema = (name: string) => deref(spec.components.schemas[name]);

  it.each([
    ['StorageImage', 'priority'],
    ['ListImage', 'priority'],
    ['ImageMetadata', 'version'],
    ['ImageScan', 'hash'],
  ])('%s.%s is a 64-bit integer sent as a string', (name, field) => {
    expect(deref(schema(name).properties[field])).toMatchObject({ type: 'string', pattern: '^-?[0-9]+$' });
  });

  it.each([
    ['StorageImage', ['components', 'cves', 'fixableCves', 'topCvss']],
    ['ListImage', ['components', 'cves', 'fixableCves']],
    ['EmbeddedVulnerability', ['fixedBy']],
    ['EmbeddedImageScanComponent', ['layerIndex', 'topCvss']],
  ])('%s: the oneofs %j are optional (absent when unset); every other field is required', (name, oneofs) => {
    const s = schema(name);
    expect(Object.keys(s.properties).filter((k) => !s.required.includes(k)).sort()).toEqual([...oneofs].sort());
  });

  it('unset messages and timestamps are null', () => {
    expect(schema('StorageImage').required).toEqual(expect.arrayContaining(['metadata', 'scan', 'signature']));
    expect(schema('Timestamp')).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
    expect(schema('ImageScan').type).toEqual(['object', 'null']);
  });

  it('every field name is lowerCamelCase', () => {
    for (const [name, s] of Object.entries(spec.components.schemas as Json)) {
      for (const field of Object.keys(deref(s as Json).properties ?? {})) expect(field, name).toMatch(/^(@type|[a-z][A-Za-z0-9]*)$/); // @type is Any's own
    }
  });

  it('the export is NDJSON, one ExportImagesStreamLine per line, for its errors too', () => {
    const op = operation('get', '/v1/export/images');
    for (const status of Object.keys(op.responses)) {
      const content = deref(op.responses[status]).content;
      expect(Object.keys(content), status).toEqual(['application/x-ndjson']);
      expect(content['application/x-ndjson'].schema.$ref).toBe('#/components/schemas/ExportImagesStreamLine');
    }
  });

  it('pagination: limit and offset are non-negative int32; the labels of the query are documented', () => {
    expect(deref(schema('PaginationLimit'))).toMatchObject({ type: 'integer', format: 'int32', minimum: 0 });
    const labels = ['Image', 'Image Registry', 'Image Tag', 'Image Sha', 'Image OS', 'Image Scan Time', 'Image Created Time', 'Image CVE Count', 'Image Top CVSS', 'Cluster', 'Namespace', 'CVE', 'Component', 'Fixable', 'Severity'];
    for (const label of labels) expect(schema('SearchQuery').description).toContain(label);
  });
});
