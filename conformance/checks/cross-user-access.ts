import { type Check, failed, passed } from './check.ts';

export const crossUserAccess: Check = {
  name: 'cross_user_access',
  run: ({ testCase, response }) =>
    response.status < 200 || response.status >= 300
      ? passed
      : failed(
          `a non-2xx when ${testCase.mutation ?? `role ${testCase.request.caller} sends another role's request`}`,
          String(response.status),
        ),
};
