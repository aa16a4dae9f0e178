// Tag "Watched Images": list, watch (200 with errorType on failure), unwatch (always {}).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rpcError, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

const watched = async () => (await server.admin.GET('/v1/watchedimages')).data!.watchedImages.map((w) => w.name);

describe('getWatchedImages', () => {
  it('lists the watched names, sorted', async () => {
    const { data, response } = await server.analyst.GET('/v1/watchedimages');
    expect(response.status).toBe(200);
    expect(data).toEqual({ watchedImages: [...server.fixture.watchedImages].sort().map((name) => ({ name })) });
  });
});

describe('watchImage', () => {
  it.each<[string, string | undefined, { normalizedName: string; errorType: string; errorMessage: string | RegExp }]>([
    ['a fully qualified name', 'docker.io/library/wordpress:6.4.2', { normalizedName: 'docker.io/library/wordpress:6.4.2', errorType: 'NO_ERROR', errorMessage: '' }],
    ['a Docker Hub short name with a tag is normalised', 'wordpress:latest', { normalizedName: 'docker.io/library/wordpress:latest', errorType: 'NO_ERROR', errorMessage: '' }],
    ['an image already stored', 'quay.io/acme/billing-api:1.4.2', { normalizedName: 'quay.io/acme/billing-api:1.4.2', errorType: 'NO_ERROR', errorMessage: '' }],
    ['no name', undefined, { normalizedName: '', errorType: 'INVALID_IMAGE_NAME', errorMessage: 'no image name specified' }],
    ['an empty name', '', { normalizedName: '', errorType: 'INVALID_IMAGE_NAME', errorMessage: 'no image name specified' }],
    ['no tag', 'docker.io/library/wordpress', { normalizedName: '', errorType: 'INVALID_IMAGE_NAME', errorMessage: /must be fully qualified, with a tag and without a digest/ }],
    ['a digest', `quay.io/acme/tool:1@sha256:${'ab'.repeat(32)}`, { normalizedName: '', errorType: 'INVALID_IMAGE_NAME', errorMessage: /without a digest/ }],
    ['not an image reference', 'Not An Image', { normalizedName: '', errorType: 'INVALID_IMAGE_NAME', errorMessage: 'invalid image name "Not An Image": invalid reference format' }],
    ['a registry without integration', 'ghcr.io/acme/app:1.0', { normalizedName: '', errorType: 'NO_VALID_INTEGRATION', errorMessage: /no image integration found for registry "ghcr.io"/ }],
    ['a registry the scanner cannot reach', 'registry.internal.example.com/tools/jq:1.7', { normalizedName: '', errorType: 'SCAN_FAILED', errorMessage: /Scanner could not reach registry/ }],
  ])('%s', async (_name, name, expected) => {
    const { data, response } = await server.admin.POST('/v1/watchedimages', { body: name === undefined ? {} : { name } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ ...expected, errorMessage: typeof expected.errorMessage === 'string' ? expected.errorMessage : expect.stringMatching(expected.errorMessage) });
    const now = await watched();
    if (expected.errorType === 'NO_ERROR') expect(now).toContain(expected.normalizedName);
    else expect(now).toEqual([...server.fixture.watchedImages].sort());
  });

  it('a watched image is scanned and stored, so it can be found', async () => {
    await server.admin.POST('/v1/watchedimages', { body: { name: 'docker.io/library/wordpress:6.4.2' } });
    const { data } = await server.admin.GET('/v1/imagescount', { params: { query: { query: 'Image:docker.io/library/wordpress' } } });
    expect(data).toEqual({ count: 1 });
  });

  it('watching twice keeps one entry', async () => {
    await server.admin.POST('/v1/watchedimages', { body: { name: 'docker.io/library/wordpress:6.4.2' } });
    await server.admin.POST('/v1/watchedimages', { body: { name: 'docker.io/library/wordpress:6.4.2' } });
    expect((await watched()).filter((n) => n === 'docker.io/library/wordpress:6.4.2')).toHaveLength(1);
  });

  it('a name that is not a string is a 400', async () => {
    const { error, response } = await server.admin.POST('/v1/watchedimages', { body: { name: 42 as unknown as string } });
    expect(response.status).toBe(400);
    expect(error).toEqual(rpcError(3, 'request body field "name" must be string: invalid arguments'));
  });
});

describe('unwatchImage', () => {
  it.each<[string, string | undefined, string[]]>([
    ['a watched name', 'quay.io/prometheus/node-exporter:v1.6.1', ['docker.io/library/nginx:1.27.0']],
    ['a watched name given short (normalised first)', 'nginx:1.27.0', ['quay.io/prometheus/node-exporter:v1.6.1']],
    ['a name nobody watches', 'docker.io/library/hello-world:latest', ['docker.io/library/nginx:1.27.0', 'quay.io/prometheus/node-exporter:v1.6.1']],
    ['no name', undefined, ['docker.io/library/nginx:1.27.0', 'quay.io/prometheus/node-exporter:v1.6.1']],
  ])('%s answers {}', async (_name, name, after) => {
    const { data, response } = await server.admin.DELETE('/v1/watchedimages', { params: { query: name === undefined ? {} : { name } } });
    expect(response.status).toBe(200);
    expect(data).toEqual({});
    expect(await watched()).toEqual(after);
  });

  it('watch, list, unwatch', async () => {
    await server.admin.POST('/v1/watchedimages', { body: { name: 'quay.io/acme/billing-api:1.4.2' } });
    expect(await watched()).toContain('quay.io/acme/billing-api:1.4.2');
    await server.admin.DELETE('/v1/watchedimages', { params: { query: { name: 'quay.io/acme/billing-api:1.4.2' } } });
    expect(await watched()).not.toContain('quay.io/acme/billing-api:1.4.2');
  });
});
