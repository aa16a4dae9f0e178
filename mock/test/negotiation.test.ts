// Content negotiation (issue 13 #7): what the Accept header takes among what the spec documents,
// a 406 naming the offered types when it takes none, and XML written from JSON examples and schemas
// by the schemas' xml objects, as Prism answers XML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startMock, type Running } from './helpers.ts';

let mock: Running;
beforeAll(async () => {
  mock = await startMock({ specPath: 'mock/test/fixtures/xml/openapi.yaml', quiet: true });
});
afterAll(async () => {
  await mock.close();
});

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';
const REX_XML =
  `${PROLOG}<pt:pet xmlns:pt="https://example.com/pets" id="1"><name>Rex &amp; Co</name><status>available</status>` +
  '<photoUrls><photoUrl>a.png</photoUrl><photoUrl>b.png</photoUrl></photoUrls><tags><tag><id>7</id><name>good</name></tag></tags>' +
  '<category><id>2</id><name>Dogs</name></category></pt:pet>';

describe('content negotiation', () => {
  it.each<{ row: string; path: string; headers: Record<string, string>; status: number; type: string; body: string | RegExp }>([
    {
      row: 'Accept: application/xml where the spec offers JSON and XML, the example written in JSON: the example as XML by the schema (attribute, wrapped lists, prefix and namespace, element names of $refs)',
      path: '/pets/p1',
      headers: { accept: 'application/xml' },
      status: 200,
      type: 'application/xml',
      body: REX_XML,
    },
    { row: 'no Accept: the example as written (JSON)', path: '/pets/p1', headers: {}, status: 200, type: 'application/json', body: /^\{"id":1,"name":"Rex & Co"/ },
    { row: 'q-values: XML at q=0.5 loses to JSON', path: '/pets/p1', headers: { accept: 'application/xml;q=0.5, application/json' }, status: 200, type: 'application/json', body: /^\{"id":1/ },
    {
      row: 'an Accept nothing offered satisfies: 406 naming the offered types (was a 500)',
      path: '/pets/p1',
      headers: { accept: 'text/csv' },
      status: 406,
      type: 'application/problem+json',
      body: /"detail":"getPet answers 200 in application\/json, application\/xml; the Accept header takes none of them"/,
    },
    { row: 'an operation offering only XML, with an example object: XML from the example', path: '/orders/10', headers: {}, status: 200, type: 'application/xml', body: `${PROLOG}<Order><id>10</id><quantity>2</quantity><complete>false</complete></Order>` },
    { row: 'an operation offering only XML, with a schema and no example: XML from the schema', path: '/inventory', headers: { accept: 'application/xml' }, status: 200, type: 'application/xml', body: `${PROLOG}<inventory><available>3</available><sold>1</sold></inventory>` },
    { row: 'an example written as XML text: sent as written', path: '/legacy', headers: {}, status: 200, type: 'text/xml', body: '<legacy ok="true"/>' },
    {
      row: 'a documented error whose only media type is XML: XML (Prefer: code=404)',
      path: '/pets/p1',
      headers: { prefer: 'code=404' },
      status: 404,
      type: 'application/xml',
      body: `${PROLOG}<apiResponse><code>404</code><type>error</type><message>Pet not found</message></apiResponse>`,
    },
    {
      row: 'an error the mock builds for a status documented only in XML: XML too (an unknown example)',
      path: '/pets/p1',
      headers: { prefer: 'example=nope' },
      status: 404,
      type: 'application/xml',
      body: `${PROLOG}<apiResponse><code>404</code><type>error</type><message>Pet not found</message></apiResponse>`,
    },
  ])('$row', async ({ path, headers, status, type, body }) => {
    const res = await call(mock.url, 'GET', path, { headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(type);
    if (typeof body === 'string') expect(res.text).toBe(body);
    else expect(res.text).toMatch(body);
  });
});
