// Tag "Images" through the generated client over real HTTP: count, list, get, delete, cache, scan.
// Expected values come from the fixture (an oracle), not from the spec's examples.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { counts } from '../domain/image-build.ts';
import type { StorageImage } from '../domain/model.ts';
import { idOf, rpcError, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

const images = () => server.fixture.images.map((r) => r.image);
const live = (image: StorageImage) => (image.scan?.components ?? []).flatMap((c) => c.vulns).filter(counts);
const byName = (name: string) => images().find((i) => i.name.fullName === name)!;
const NGINX = 'docker.io/library/nginx:1.25.3';
/** Priority order: risk descending, ties by id. */
const riskOrder = () => [...images()].sort((a, b) => b.riskScore - a.riskScore || (a.id < b.id ? -1 : 1)).map((i) => i.id);

describe('countImages', () => {
  it.each<[string, string | undefined, (i: StorageImage) => boolean]>([
    ['no query counts every image', undefined, () => true],
    ['an empty query counts every image', '', () => true],
    ['a registry', 'Image Registry:quay.io', (i) => i.name.registry === 'quay.io'],
    ['critical CVEs leave snoozed ones out', 'Severity:CRITICAL', (i) => live(i).some((v) => v.severity === 'CRITICAL_VULNERABILITY_SEVERITY')],
    ['a cluster', 'Cluster:staging', (i) => server.fixture.images.find((r) => r.image.id === i.id)!.deployments.some((d) => d.cluster === 'staging')],
    ['a component, OR between values', 'Component:openssl,musl', (i) => (i.scan?.components ?? []).some((c) => c.name.startsWith('openssl') || c.name.startsWith('musl'))],
    ['AND across fields', 'Image Registry:docker.io+Fixable:true', (i) => i.name.registry === 'docker.io' && live(i).some((v) => v.fixedBy !== undefined)],
    ['a CVE count comparison', 'Image CVE Count:>=2', (i) => (i.cves ?? -1) >= 2],
    ['images without a scan have no OS', 'Image OS:-', (i) => i.scan === null],
    ['negation', 'Image Registry:!docker.io', (i) => i.name.registry !== 'docker.io'],
  ])('%s (%s)', async (_name, query, keep) => {
    const { data, response } = await server.admin.GET('/v1/imagescount', { params: { query: { query } } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ count: images().filter(keep).length });
  });

  it('ignores pagination', async () => {
    const { data } = await server.admin.GET('/v1/imagescount', { params: { query: { 'pagination.limit': 1, 'pagination.offset': 5 } } });
    expect(data).toEqual({ count: images().length });
  });

  it('a malformed query is a 400 that says what is wrong', async () => {
    const { error, response } = await server.admin.GET('/v1/imagescount', { params: { query: { query: 'Image Top CVSS:>high' } } });
    expect(response.status).toBe(400);
    expect(error).toEqual(rpcError(3, 'invalid query "Image Top CVSS:>high": field "Image Top CVSS" needs a number, got ">high": invalid arguments'));
  });
});

describe('listImages', () => {
  const list = async (query: Record<string, string | number | boolean>) => {
    const { data, error, response } = await server.admin.GET('/v1/images', { params: { query } });
    expect(error, JSON.stringify(error)).toBeUndefined();
    expect(response.status).toBe(200);
    return data!.images;
  };

  it('without parameters: every image, riskiest first, with its rank as priority', async () => {
    const page = await list({});
    expect(page.map((i) => i.id)).toEqual(riskOrder());
    expect(page.map((i) => i.priority)).toEqual(page.map((_i, n) => String(n + 1)));
  });

  it('shows counts only for scanned images (unset oneofs are absent)', async () => {
    const page = await list({});
    for (const item of page) {
      const image = images().find((i) => i.id === item.id)!;
      if (image.scan) expect(item).toMatchObject({ components: image.scan.components.length, cves: new Set(live(image).map((v) => v.cve)).size });
      else expect(Object.keys(item)).not.toContain('cves');
    }
  });

  it.each<[string, Record<string, string | number | boolean>, (ids: string[]) => string[]]>([
    ['limit takes the first ones', { 'pagination.limit': 3 }, (ids) => ids.slice(0, 3)],
    ['offset skips', { 'pagination.limit': 3, 'pagination.offset': 3 }, (ids) => ids.slice(3, 6)],
    ['an offset past the end is an empty page', { 'pagination.offset': 50 }, () => []],
    ['limit 0 means 1000 (all of them here)', { 'pagination.limit': 0 }, (ids) => ids],
    ['a limit over 1000 means 1000', { 'pagination.limit': 5000 }, (ids) => ids],
    ['reversed priority puts the least risky first', { 'pagination.sortOption.field': 'Image Risk Priority', 'pagination.sortOption.reversed': true }, (ids) => [...ids].reverse()],
  ])('%s', async (_name, query, expected) => {
    expect((await list(query)).map((i) => i.id)).toEqual(expected(riskOrder()));
  });

  it.each<[string, (i: StorageImage) => string | number | undefined]>([
    ['Image', (i) => i.name.fullName.toLowerCase()],
    ['image created time', (i) => (i.metadata?.v1?.created ? Date.parse(i.metadata.v1.created) : undefined)],
    ['Image Top CVSS', (i) => i.topCvss],
    ['IMAGE CVE COUNT', (i) => i.cves],
  ])('sorts by %s ascending and descending, unset values last, ties by id', async (field, key) => {
    for (const reversed of [false, true]) {
      const expected = [...images()]
        .sort((a, b) => {
          const [ka, kb] = [key(a), key(b)];
          if (ka === undefined || kb === undefined) return ka === kb ? (a.id < b.id ? -1 : 1) : ka === undefined ? 1 : -1;
          if (ka !== kb) return (ka < kb ? -1 : 1) * (reversed ? -1 : 1);
          return a.id < b.id ? -1 : 1;
        })
        .map((i) => i.id);
      expect((await list({ 'pagination.sortOption.field': field, 'pagination.sortOption.reversed': reversed })).map((i) => i.id)).toEqual(expected);
    }
  });

  it('limit 0 and over 1000 mean 1000 on a larger store', async () => {
    const template = byName(NGINX);
    for (let n = 0; n < 1100; n++) {
      const id = `sha256:${n.toString(16).padStart(64, '0')}`;
      server.store.upsert({ image: { ...template, id, name: { ...template.name, tag: `t${n}`, fullName: `docker.io/library/nginx:t${n}` } }, deployments: [] });
    }
    for (const limit of [0, 1001, 99999]) expect((await list({ 'pagination.limit': limit })).length).toBe(1000);
    expect((await list({ 'pagination.limit': 1000, 'pagination.offset': 1000 })).length).toBe(images().length + 1100 - 1000);
  });

  it.each([
    ['an unknown sort field', { 'pagination.sortOption.field': 'Flavour' }, /sort field "Flavour" is not a sortable search field/],
    ['a multi-valued sort field', { 'pagination.sortOption.field': 'CVE' }, /sort field "CVE" is not a sortable/],
    ['a malformed query', { query: 'Image:"nginx' }, /unterminated quote/],
    ['a negative offset', { 'pagination.offset': -1 }, /query parameter "pagination.offset" must be >= 0/],
    ['a limit that is not a number', { 'pagination.limit': 'ten' }, /query parameter "pagination.limit" must be integer/],
    ['a limit in hexadecimal (Number() reads 0x10 as 16)', { 'pagination.limit': '0x10' }, /query parameter "pagination.limit" must be an integer written in decimal digits/],
    ['an offset in exponent notation', { 'pagination.offset': '1e3' }, /query parameter "pagination.offset" must be an integer written in decimal digits/],
    ['a limit past the safe integers', { 'pagination.limit': '9007199254740993' }, /query parameter "pagination.limit" must be an integer written in decimal digits/],
    ['an unknown parameter', { page: 2 }, /query parameter "page" is not a parameter of this operation/],
  ] as const)('%s is a 400 in the service error shape', async (_name, query, message) => {
    const { error, response } = await server.admin.GET('/v1/images', { params: { query: query as never } });
    expect(response.status).toBe(400);
    expect(error).toEqual({ code: 3, message: expect.stringMatching(message), details: [], error: expect.stringMatching(message) });
    expect(error!.message).toMatch(/: invalid arguments$/);
  });
});

describe('getImage', () => {
  const nginxId = () => idOf(server.fixture, NGINX);
  const get = (id: string, query: { includeSnoozed?: boolean; stripDescription?: boolean } = {}) => server.admin.GET('/v1/images/{id}', { params: { path: { id }, query } });
  const cvesOf = (image: StorageImage) => image.scan!.components.flatMap((c) => c.vulns.map((v) => v.cve)).sort();

  it.each<[string, () => string]>([
    ['by sha256:id', () => nginxId()],
    ['by the bare digest, which gets sha256: in front', () => nginxId().slice('sha256:'.length)],
  ])('%s', async (_name, id) => {
    const { data, response } = await get(id());
    expect(response.status).toBe(200);
    expect(data!.id).toBe(nginxId());
    expect(data!.name.fullName).toBe(NGINX);
  });

  it.each<[string, { includeSnoozed?: boolean; stripDescription?: boolean }, (cves: string[], summaries: string[]) => void]>([
    ['leaves snoozed CVEs out by default', {}, (cves) => expect(cves).not.toContain('CVE-2023-45853')],
    ['includeSnoozed=true keeps them', { includeSnoozed: true }, (cves) => expect(cves).toContain('CVE-2023-45853')],
    ['stripDescription=true empties every summary', { stripDescription: true, includeSnoozed: true }, (_c, summaries) => expect(new Set(summaries)).toEqual(new Set(['']))],
    ['summaries are there otherwise', {}, (_c, summaries) => expect(summaries.every((s) => s.length > 10)).toBe(true)],
  ])('%s', async (_name, query, check) => {
    const { data } = await get(nginxId(), query);
    check(cvesOf(data!), data!.scan!.components.flatMap((c) => c.vulns.map((v) => v.summary)));
  });

  it('counts leave snoozed CVEs out even with includeSnoozed', async () => {
    const { data } = await get(nginxId(), { includeSnoozed: true });
    expect(data).toMatchObject({ components: 4, cves: 2, fixableCves: 2, topCvss: 7.5 });
    expect(data!.scan!.components.find((c) => c.name === 'zlib1g')!.vulns[0]).toMatchObject({ suppressed: true, suppressExpiry: '2027-01-01T00:00:00Z' });
  });

  it('emits unpopulated fields and leaves unset oneofs out (an image without scan)', async () => {
    const { data } = await get(idOf(server.fixture, 'image-registry.openshift-image-registry.svc:5000/payments/ledger:2.3.1'));
    expect(data).toMatchObject({ scan: null, notes: ['MISSING_SCAN_DATA'], isClusterLocal: true, baseImageInfo: [] });
    for (const oneof of ['components', 'cves', 'fixableCves', 'topCvss']) expect(Object.keys(data!)).not.toContain(oneof);
    expect(typeof data!.priority).toBe('string');
    expect(data!.metadata!.version).toBe('4');
  });

  it('an unknown id is a 404 naming the id as sent', async () => {
    const { error, response } = await get('deadbeef');
    expect(response.status).toBe(404);
    expect(error).toEqual(rpcError(5, 'image with id "deadbeef" does not exist: not found'));
  });
});

describe('deleteImages', () => {
  const del = (query: Record<string, string | number | boolean>) => server.admin.DELETE('/v1/images', { params: { query } });
  const count = async () => (await server.admin.GET('/v1/imagescount')).data!.count;

  it.each<[string, Record<string, string | number | boolean>, number, boolean]>([
    ['without confirm it is a dry run', { 'query.query': 'Image Registry:docker.io' }, 6, true],
    ['confirm=false is a dry run', { 'query.query': 'Image Registry:docker.io', confirm: false }, 6, true],
    ['confirm=true deletes', { 'query.query': 'Image Registry:docker.io', confirm: true }, 6, false],
    ['pagination limits what is deleted', { 'query.query': 'Image Registry:docker.io', 'query.pagination.limit': 2, confirm: true }, 2, false],
    ['an empty query.query scopes to every image', { 'query.query': '', confirm: true }, 11, false],
    ['any query.* parameter scopes', { 'query.pagination.offset': 10, confirm: true }, 1, false],
  ])('%s', async (_name, query, matched, dryRun) => {
    const before = await count();
    const { data, response } = await del(query);
    expect(response.status).toBe(200);
    expect(data).toEqual({ numDeleted: matched, dryRun });
    expect(await count()).toBe(dryRun ? before : before - matched);
  });

  it('deletes exactly the images the query and pagination pick (riskiest first)', async () => {
    const expected = riskOrder().filter((id) => images().find((i) => i.id === id)!.name.registry === 'docker.io').slice(0, 2);
    await del({ 'query.query': 'Image Registry:docker.io', 'query.pagination.limit': 2, confirm: true });
    for (const id of expected) expect((await server.admin.GET('/v1/images/{id}', { params: { path: { id } } })).response.status).toBe(404);
  });

  it('without any query.* parameter it refuses (500, as the service does) and deletes nothing', async () => {
    const { error, response } = await del({ confirm: true });
    expect(response.status).toBe(500);
    expect(error).toEqual(rpcError(13, 'a scoping query is required'));
    expect(await count()).toBe(11);
  });

  it('a malformed query deletes nothing', async () => {
    const { response } = await del({ 'query.query': 'CVE', confirm: true });
    expect(response.status).toBe(400);
    expect(await count()).toBe(11);
  });
});

describe('invalidateScanAndRegistryCaches', () => {
  it('answers {} and counts the invalidation', async () => {
    const { data, response } = await server.admin.GET('/v1/images/cache/invalidate');
    expect(response.status).toBe(200);
    expect(data).toEqual({});
    expect(server.store.invalidateCaches()).toBe(2);
  });
});

describe('scanImage', () => {
  const scan = (body: Record<string, unknown>) => server.admin.POST('/v1/images/scan', { body: body as { imageName: string } }); // some bodies break the contract on purpose

  it('a stored image is answered as stored, without snoozed CVEs', async () => {
    const { data } = await scan({ imageName: NGINX });
    const stored = await server.admin.GET('/v1/images/{id}', { params: { path: { id: data!.id } } });
    expect(data).toEqual(stored.data);
  });

  it('a short name is normalised (nginx:1.25.3 is the Docker Hub image)', async () => {
    const { data } = await scan({ imageName: 'nginx:1.25.3' });
    expect(data!.name.fullName).toBe(NGINX);
  });

  it('force rescans: same components, the scan time is now', async () => {
    server.clock.set('2026-11-26T10:30:00Z');
    const { data } = await scan({ imageName: NGINX, force: true, includeSnoozed: true });
    expect(data!.scan!.scanTime).toBe('2026-11-26T10:30:00Z');
    expect(data!.lastUpdated).toBe('2026-11-26T10:30:00Z');
    expect(data!.scan!.components).toEqual(byName(NGINX).scan!.components);
  });

  it('a new image is scanned deterministically, stored, and then found by query', async () => {
    const first = (await scan({ imageName: 'quay.io/stackrox-io/collector:4.5.0' })).data!;
    await server.reset();
    const second = (await scan({ imageName: 'quay.io/stackrox-io/collector:4.5.0' })).data!;
    expect(second).toEqual(first);
    expect(first.scan!.components.length).toBeGreaterThan(1);
    expect(first.cves).toBe(new Set(first.scan!.components.flatMap((c) => c.vulns.map((v) => v.cve))).size);
    const found = await server.admin.GET('/v1/images', { params: { query: { query: 'Image:"quay.io/stackrox-io/collector:4.5.0"' } } });
    expect(found.data!.images.map((i) => i.id)).toEqual([first.id]);
    expect((await server.admin.GET('/v1/imagescount')).data!.count).toBe(12);
  });

  it('a digest reference keeps its digest as the id', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const { data } = await scan({ imageName: `quay.io/acme/tool@${digest}` });
    expect(data).toMatchObject({ id: digest, name: { registry: 'quay.io', remote: 'acme/tool', tag: '', fullName: `quay.io/acme/tool@${digest}` } });
  });

  it.each<[string, Record<string, unknown>, number, number, string]>([
    ['an empty name', { imageName: '' }, 400, 3, 'image name must be specified: invalid arguments'],
    ['no name at all', {}, 400, 3, 'request body field "imageName" is required: invalid arguments'],
    ['an unparsable name', { imageName: 'UPPER/case' }, 400, 3, 'invalid image name "UPPER/case": invalid reference format: invalid arguments'],
    ['a bad digest', { imageName: 'nginx@sha256:xyz' }, 400, 3, 'invalid image name "nginx@sha256:xyz": invalid reference format: invalid arguments'],
    ['a registry without integration', { imageName: 'ghcr.io/acme/app:1' }, 500, 13, 'image enrichment error: no image integration found for registry "ghcr.io": please add an image integration for it'],
    ['a registry the scanner cannot reach', { imageName: 'registry.internal.example.com/tools/jq:1.7' }, 500, 13, 'image enrichment error: scanning "registry.internal.example.com/tools/jq:1.7" failed: Scanner could not reach registry "registry.internal.example.com"'],
    ['an unknown field', { imageName: NGINX, colour: 'red' }, 400, 3, 'request body field "colour" must NOT have additional properties: invalid arguments'],
    ['a field of the wrong type', { imageName: NGINX, force: 'yes' }, 400, 3, 'request body field "force" must be boolean: invalid arguments'],
  ])('%s is refused', async (_name, body, status, code, message) => {
    const { error, response } = await scan(body);
    expect(response.status).toBe(status);
    expect(error).toEqual(rpcError(code, message));
    expect((await server.admin.GET('/v1/imagescount')).data!.count).toBe(11);
  });

  it.each([
    ['no body', undefined, undefined, 'request body is required: invalid arguments'],
    ['a body that is not JSON', 'application/json', '{"imageName":', 'request body is not valid JSON: invalid arguments'],
    ['a body of another media type that is not JSON', 'text/plain', 'nginx', 'request body is not valid JSON: invalid arguments'],
    ['a form-typed body that is a form', 'application/x-www-form-urlencoded', 'imageName=nginx', 'request body is not valid JSON: invalid arguments'],
    ['a key twice in one object (JSON.parse keeps the last)', 'application/json', '{"imageName":"nginx:1.25","imageName":"x"}', 'request body field "imageName" appears twice in one object: invalid arguments'],
  ])('%s is a 400 in the service shape', async (_name, type, body, message) => {
    const headers: Record<string, string> = { Authorization: 'Bearer admin-demo-token' };
    if (type) headers['Content-Type'] = type;
    const res = await server.raw('/v1/images/scan', { method: 'POST', headers, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(rpcError(3, message));
  });

  // As grpc-gateway reads it: the body is JSON whatever its declared type (curl -d declares a form).
  it.each([
    ['curl -d (a form type)', 'application/x-www-form-urlencoded'],
    ['text/plain', 'text/plain; charset=utf-8'],
    ['application/json', 'application/json'],
  ])('a JSON body sent as %s is read as JSON', async (_name, type) => {
    const headers: Record<string, string> = { Authorization: 'Bearer admin-demo-token' };
    if (type) headers['Content-Type'] = type;
    const res = await server.raw('/v1/images/scan', { method: 'POST', headers, body: JSON.stringify({ imageName: NGINX }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: { fullName: string } }).name.fullName).toBe(NGINX);
  });

  it('a body that is not JSON is a 400 in the service shape', async () => {
    const res = await server.raw('/v1/images/scan', { method: 'POST', headers: { Authorization: 'Bearer admin-demo-token', 'Content-Type': 'application/json' }, body: '{"imageName":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(rpcError(3, 'request body is not valid JSON: invalid arguments'));
  });
});
