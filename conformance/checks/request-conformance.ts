// The request's side of the contract. The suite builds its own requests, so only the validating
// proxy (mock/proxy/) schedules this check, on traffic it did not write.
import { type Check, failed, passed, skipped } from './check.ts';

export const requestConformance: Check = {
  name: 'request_conformance',
  run: ({ testCase }) => {
    const found = testCase.requestViolations;
    if (found === undefined) return skipped('no request seen');
    const first = found[0];
    if (!first) return passed;
    const more = found.length > 1 ? ` (+${found.length - 1} more: ${found.slice(1, 4).map((v) => v.where).join(', ')})` : '';
    return failed(first.expected, `${first.got}${more}`, first.where);
  },
};
