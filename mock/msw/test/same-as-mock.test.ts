// The MSW handlers choose what the mock server chooses: on the three contracts and a foreign spec,
// every named case's request (built from the parts it pairs with, sent as the role it names) and
// every example asked for by Prefer gets the same status, media type and body from both.
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Running } from '../../test/helpers.ts';
import { createMockHandlers, mockModel } from '../index.ts';
import { answerOf, credentialsOf, rowsOf } from './requests.ts';

interface Contract {
  name: string;
  specPath: string;
  bundle: object;
}

const json = (file: string): object => JSON.parse(readFileSync(file, 'utf8')) as object;
const CONTRACTS: Contract[] = [
  { name: 'images', specPath: 'spec/images/openapi.yaml', bundle: json('generated/images/openapi.json') },
  { name: 'stackrox', specPath: 'spec/stackrox/openapi.yaml', bundle: json('generated/stackrox/openapi.json') },
  { name: 'chutes', specPath: 'spec/chutes/openapi.yaml', bundle: json('generated/chutes/openapi.json') },
  { name: 'petstore3 (foreign)', specPath: 'conformance/test/fixtures/foreign/petstore3/openapi.yaml', bundle: parse(readFileSync('conformance/test/fixtures/foreign/petstore3/openapi.yaml', 'utf8')) as object },
];
const BASE = 'http://msw.api.test';

/** The rows no valid request can be built for: the Petstore's required bodies without examples. */
const SKIPPED: Record<string, number> = { 'petstore3 (foreign)': 2 };

/** Keys and value types, recursively: what two samples of one schema share. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shapeOf);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shapeOf(x)]));
  return typeof v;
}

describe.each(CONTRACTS)('MSW handlers and the mock server on $name', (contract) => {
  let mock: Running;
  let msw: ReturnType<typeof setupServer>;
  const model = mockModel(contract.bundle);
  const credentials = credentialsOf(contract.bundle);
  const { rows, skipped } = rowsOf(contract.bundle);

  beforeAll(async () => {
    mock = await startMock({ specPath: contract.specPath, quiet: true, credentials });
    msw = setupServer(...createMockHandlers(contract.bundle, { baseUrl: BASE, credentials }));
    // Only the MSW base is intercepted; the mock server is reached for real.
    msw.listen({ onUnhandledRequest: 'bypass' });
  });
  afterAll(async () => {
    msw?.close();
    await mock?.close();
  });

  it('builds a request for nearly every case (a required body without examples is left out)', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(skipped).toHaveLength(SKIPPED[contract.name] ?? 0);
  });

  it.each(rows.map((r) => [r.label, r] as const))('%s', async (_, sent) => {
    const [fromMock, fromMsw] = [await answerOf(mock.url, sent), await answerOf(BASE, sent)];
    expect(fromMsw.status).toBe(fromMock.status);
    expect(fromMsw.type?.split(';')[0]).toBe(fromMock.type?.split(';')[0]);
    // Without an example both sample the schema; prism first rewrites it (int64 bounds and the like),
    // so only the shape is compared there.
    const op = model.operations.find((o) => sent.label.startsWith(`${o.id} `));
    if (!op?.examples.some((e) => e.status === fromMock.status)) {
      expect(shapeOf(fromMsw.body)).toEqual(shapeOf(fromMock.body));
      return;
    }
    // The mock's own error messages name its flags; the shape and status are what must agree.
    if (fromMock.status >= 400 && typeof fromMock.body === 'object' && fromMock.body !== null && !(fromMsw.status === fromMock.status && JSON.stringify(fromMsw.body) === JSON.stringify(fromMock.body))) {
      expect(Object.keys(fromMsw.body as object).sort()).toEqual(Object.keys(fromMock.body).sort());
    } else {
      expect(fromMsw.body).toEqual(fromMock.body);
    }
  });
});
