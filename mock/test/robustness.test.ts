// Whatever a client sends, the answer is an HTTP status in the spec's shape, never a crash or a stack.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Running } from './helpers.ts';

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ stateful: true, quiet: true });
});
afterAll(async () => {
  await mock.close();
});

const segment = fc.oneof(fc.constantFrom('pets', 'p1', 'p404', 'ping', '__mock.jsonx', '..', '%', '%zz', ''), fc.string({ maxLength: 8 }).map(encodeURIComponent));

describe('any input', () => {
  it('gets an answer below 500 with no stack, path or library name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 2 })), { nil: undefined }),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined),
        fc.constantFrom(undefined, 'code=abc', 'example=', 'dynamic=true', 'code=200, example=nope', 'delay=x'),
        fc.boolean(),
        fc.option(fc.oneof(fc.constantFrom('kind=cat', 'kind=bird', '__code=404', '__example=x', 'a=%zz', 'kind=cat&kind=dog'), fc.string({ maxLength: 12 })), { nil: undefined }),
        async (method, segments, body, contentType, prefer, withKey, query) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (prefer) headers.prefer = prefer;
          if (withKey) headers['x-api-key'] = 'k';
          const res = await fetch(`${mock.url}/${segments.join('/')}${query === undefined ? '' : `?${query}`}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
          const text = await res.text();
          expect(res.status).toBeLessThan(500);
          expect(text).not.toMatch(/\n\s+at |node_modules|prism|stoplight|problem\+json|\/work\//i);
          if (res.status >= 400 && method !== 'HEAD' && text !== '') expect(JSON.parse(text)).toHaveProperty('code');
        },
      ),
      { numRuns: 300 },
    );
  });
});
