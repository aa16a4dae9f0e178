import { type Check, failed, passed } from './check.ts';

// Answers that speak about the caller or the state, not the shape of the data (as Schemathesis counts them).
const NOT_A_REJECTION = new Set([401, 403, 404, 409]);

export const positiveDataAcceptance: Check = {
  name: 'positive_data_acceptance',
  run: ({ testCase, response }) =>
    response.status < 400 || response.status >= 500 || NOT_A_REJECTION.has(response.status)
      ? passed
      : failed(`the valid input (${testCase.mutation ?? 'schema-valid request'}) to be accepted`, String(response.status)),
};
