import { type Check, cutNote, failed, passed, skipped } from './check.ts';

export const successCriteria: Check = {
  name: 'success_criteria',
  run: ({ testCase, response }) => {
    const criteria = testCase.criteria;
    if (!criteria || criteria.length === 0) return skipped('the step has no successCriteria');
    const bad = criteria.find((c) => !c.passed);
    if (!bad) return passed;
    // A criterion on the body may have failed only because the body was cut: say so.
    return failed(bad.condition, response.bodyCutAt === undefined ? bad.got : `${bad.got}, from ${cutNote(response.bodyCutAt)}`);
  },
};
