import { documentedMediaType, documentedResponse, isJsonMediaType } from '../loader/responses.ts';
import { type Check, failed, passed, show, skipped } from './check.ts';

export const responseSchemaConformance: Check = {
  name: 'response_schema_conformance',
  run: ({ testCase, response, validator }) => {
    const documented = testCase.operation && documentedResponse(testCase.operation, response.status);
    if (!documented) return skipped(`status ${response.status} is not documented`);
    const mt = documentedMediaType(documented, response.contentType);
    if (!mt?.schema) return skipped('no schema documented for this status and content type');
    if (!isJsonMediaType(response.contentType)) return skipped(`${response.contentType} is not JSON`);
    if (response.jsonError) return failed('a JSON body', `unparsable JSON (${response.jsonError})`);
    const violations = validator.violations(mt.schema, response.json);
    if (violations.length === 0) return passed;
    const first = violations[0]!;
    const more = violations.length > 1 ? ` (+${violations.length - 1} more: ${violations.slice(1, 4).map((v) => v.pointer).join(', ')})` : '';
    return failed(`a body valid against the schema (${first.message})`, `${show(first.got)}${more}`, first.pointer);
  },
};
