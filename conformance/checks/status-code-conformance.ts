import { documentedResponse, documentedStatuses } from '../loader/responses.ts';
import { type Check, failed, passed, skipped } from './check.ts';
import { demandedBy } from './demands.ts';

export const statusCodeConformance: Check = {
  name: 'status_code_conformance',
  run: ({ testCase, response }) => {
    const op = testCase.operation;
    if (!op) return skipped('no documented operation');
    if (documentedResponse(op, response.status)) return passed;
    // Two checks must never contradict: the status a probe's own check asked for is not failed here.
    const asker = demandedBy(testCase, response.status);
    if (asker) return skipped(`status ${response.status} is not documented, but ${asker} asks for it`);
    return failed(`one of the documented statuses ${documentedStatuses(op).join(', ')}`, String(response.status));
  },
};
