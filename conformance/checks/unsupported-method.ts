import { type Check, failed, passed } from './check.ts';

export const unsupportedMethod: Check = {
  name: 'unsupported_method',
  run: ({ testCase, response }) => {
    const documented = testCase.allowedMethods ?? [];
    if (response.status !== 405) return failed(`405 for ${testCase.mutation ?? 'an undocumented method'}`, String(response.status));
    const allow = response.headers['allow'];
    if (allow === undefined) return failed(`an Allow header listing ${documented.join(', ')}`, 'no Allow header');
    const listed = allow.split(',').map((m) => m.trim().toUpperCase());
    const missing = documented.filter((m) => !listed.includes(m));
    if (missing.length > 0) return failed(`Allow to list ${documented.join(', ')}`, `Allow: ${allow}`);
    return passed;
  },
};
