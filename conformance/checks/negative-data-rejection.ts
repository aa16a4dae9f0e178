import { type Check, failed, passed } from './check.ts';

export const negativeDataRejection: Check = {
  name: 'negative_data_rejection',
  run: ({ testCase, response }) =>
    response.status >= 400 && response.status < 500
      ? passed
      : failed(`a 4xx rejecting the invalid input (${testCase.mutation ?? 'mutated request'})`, String(response.status)),
};
