import { type Check, failed, passed } from './check.ts';
import { authRefusals } from './demands.ts';

export const missingAuth: Check = {
  name: 'missing_auth',
  run: ({ testCase, response }) => {
    const { statuses, documented } = authRefusals(testCase.operation);
    if (statuses.includes(response.status)) return passed;
    const expected = documented ? statuses.join(' or ') : '401 or 403 (the spec documents neither)';
    return failed(`${expected} for a request with ${testCase.mutation ?? 'bad credentials'}`, String(response.status));
  },
};
