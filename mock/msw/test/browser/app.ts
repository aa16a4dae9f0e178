// The page of the browser test: the handlers of the three contracts and the Petstore behind MSW's
// service worker, and the typed images client calling through it. Bundled by esbuild, so nothing
// here may need Node.
import { setupWorker } from 'msw/browser';
import { createClient } from '../../../../generated/images/client.ts';
import type { paths } from '../../../../generated/images/schema.d.ts';
import images from '../../../../generated/images/openapi.json' with { type: 'json' };
import stackrox from '../../../../generated/stackrox/openapi.json' with { type: 'json' };
import chutes from '../../../../generated/chutes/openapi.json' with { type: 'json' };
import { createMockHandlers, createTypedHttp } from '../../index.ts';
import { credentialsOf } from '../requests.ts';
import { parse } from 'yaml';
import petstoreText from '../../../../conformance/test/fixtures/foreign/petstore3/openapi.yaml';
import { MOUNTS } from './mounts.ts';

// A foreign spec as a browser app may hold one: YAML text, parsed in the page.
const specs: Record<string, object> = { images, stackrox, chutes, petstore: parse(petstoreText) as object };
const worker = setupWorker(...MOUNTS.flatMap((m) => createMockHandlers(specs[m.spec]!, { baseUrl: m.baseUrl, credentials: credentialsOf(specs[m.spec]!) })));
const ready = worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true, onUnhandledRequest: 'bypass' });

export interface Sent {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Got {
  status: number;
  type: string | null;
  body: unknown;
}

async function got(response: Response): Promise<Got> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Text answers stay text.
  }
  return { status: response.status, type: response.headers.get('content-type'), body };
}

/** Plain fetches through the worker. */
async function send(rows: Sent[]): Promise<Got[]> {
  await ready;
  const out: Got[] = [];
  for (const row of rows) out.push(await got(await fetch(row.path, { method: row.method ?? 'GET', headers: row.headers, body: row.body })));
  return out;
}

/** The typed client through the worker: default, named by request, Prefer code, then an override and back. */
async function typedClient(): Promise<Record<string, { status: number; body: unknown }>> {
  await ready;
  const api = createClient({ baseUrl: location.origin, token: 'alice-demo-token' });
  const of = async (r: Promise<{ response: Response; data?: unknown; error?: unknown }>) => {
    const { response, data, error } = await r;
    return { status: response.status, body: data ?? error };
  };
  const out: Record<string, { status: number; body: unknown }> = {};
  out.default = await of(api.GET('/api/v1/images/public'));
  out.byQuery = await of(api.GET('/api/v1/images/public', { params: { query: { search: 'jammy' } } }));
  out.byBody = await of(api.POST('/api/v1/images/rate/{id}', { params: { path: { id: '507f1f77bcf86cd799439021' } }, body: { rating: 7 } }));
  out.preferCode = await of(api.GET('/api/v1/images/public', { headers: { prefer: 'code=500' } }));
  const http = createTypedHttp<paths>();
  worker.use(http.get('/api/v1/images/public/{id}', ({ params, response }) => response(404).json({ statusCode: 404, error: 'Not Found', message: `overridden ${params.id}` })));
  out.override = await of(api.GET('/api/v1/images/public/{id}', { params: { path: { id: '507f1f77bcf86cd799439021' } } }));
  worker.resetHandlers();
  out.afterReset = await of(api.GET('/api/v1/images/public/{id}', { params: { path: { id: '507f1f77bcf86cd799439021' } } }));
  return out;
}

Object.assign(window, { mswTest: { send, typedClient } });
