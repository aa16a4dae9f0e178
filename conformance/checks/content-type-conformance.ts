import { documentedMediaType, documentedResponse } from '../loader/responses.ts';
import { demandedButUndocumented } from './demands.ts';
import { type Check, failed, passed, skipped } from './check.ts';

export const contentTypeConformance: Check = {
  name: 'content_type_conformance',
  run: ({ testCase, response }) => {
    const demanded = demandedButUndocumented(testCase, response.status);
    if (demanded) return skipped(demanded);
    const documented = testCase.operation && documentedResponse(testCase.operation, response.status);
    if (!documented) return skipped(`status ${response.status} is not documented`);
    if (documented.content.length === 0) {
      return response.text.length === 0 || !response.contentType
        ? passed
        : failed(`no body for ${response.status}`, `${response.contentType} (${response.text.length} bytes)`);
    }
    if (documentedMediaType(documented, response.contentType)) return passed;
    return failed(
      `Content-Type ${documented.content.map((c) => c.mediaType).join(' or ')} for ${response.status}`,
      response.contentType || 'no Content-Type',
    );
  },
};
