import { type Check, failed, passed } from './check.ts';

export const missingAuth: Check = {
  name: 'missing_auth',
  run: ({ testCase, response }) =>
    response.status === 401
      ? passed
      : failed(`401 for a request with ${testCase.mutation ?? 'bad credentials'}`, String(response.status)),
};
