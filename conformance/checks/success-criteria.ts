import { type Check, failed, passed, skipped } from './check.ts';

export const successCriteria: Check = {
  name: 'success_criteria',
  run: ({ testCase }) => {
    const criteria = testCase.criteria;
    if (!criteria || criteria.length === 0) return skipped('the step has no successCriteria');
    const bad = criteria.find((c) => !c.passed);
    return bad ? failed(bad.condition, bad.got) : passed;
  },
};
