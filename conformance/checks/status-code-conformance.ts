import { documentedResponse, documentedStatuses } from '../loader/responses.ts';
import { type Check, failed, passed, skipped } from './check.ts';

export const statusCodeConformance: Check = {
  name: 'status_code_conformance',
  run: ({ testCase, response }) => {
    const op = testCase.operation;
    if (!op) return skipped('no documented operation');
    if (documentedResponse(op, response.status)) return passed;
    return failed(`one of the documented statuses ${documentedStatuses(op).join(', ')}`, String(response.status));
  },
};
