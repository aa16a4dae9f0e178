import { documentedResponse } from '../loader/responses.ts';
import type { Schema } from '../model.ts';
import { demandedButUndocumented } from './demands.ts';
import { type Check, failed, passed, skipped } from './check.ts';

export const responseHeadersConformance: Check = {
  name: 'response_headers_conformance',
  run: ({ testCase, response, validator }) => {
    const demanded = demandedButUndocumented(testCase, response.status);
    if (demanded) return skipped(demanded);
    const documented = testCase.operation && documentedResponse(testCase.operation, response.status);
    if (!documented) return skipped(`status ${response.status} is not documented`);
    for (const header of documented.headers) {
      const name = header.name.toLowerCase();
      if (name === 'content-type') continue; // OpenAPI: described by content, not headers
      const value = response.headers[name];
      if (value === undefined) {
        if (header.required) return failed(`required header ${header.name}`, 'no such header');
        continue;
      }
      if (header.schema && !validator.isValid(header.schema, coerce(header.schema, value))) {
        return failed(`header ${header.name} matching its schema ${schemaText(header.schema)}`, JSON.stringify(value));
      }
    }
    return passed;
  },
};

/** The schema as JSON for the message; a recursive one (a dereferenced cycle) cannot be written out. */
function schemaText(schema: Schema): string {
  try {
    return JSON.stringify(schema);
  } catch {
    return '(a recursive schema)';
  }
}

function coerce(schema: Schema, value: string): unknown {
  if (typeof schema !== 'object') return value;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if ((types.includes('integer') || types.includes('number')) && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
