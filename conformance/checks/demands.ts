// What a probe's own check asks of the answer, so that no other check fails the very answer it
// demanded (a 401 that missing_auth asks for and the spec does not document).
import type { CheckName, OperationSpec, TestCase } from '../model.ts';

/** The statuses missing_auth accepts: those of 401 and 403 the operation documents, else both. */
export function authRefusals(op: OperationSpec | null): { statuses: number[]; documented: boolean } {
  const documented = [401, 403].filter((s) => op?.responses.some((r) => r.status === String(s) || r.status === '4XX'));
  return documented.length > 0 ? { statuses: documented, documented: true } : { statuses: [401, 403], documented: false };
}

/** The check of `testCase` that asks for `status`, if one does. */
export function demandedBy(testCase: TestCase, status: number): CheckName | undefined {
  const has = (c: CheckName) => testCase.checks.includes(c);
  if (has('missing_auth') && authRefusals(testCase.operation).statuses.includes(status)) return 'missing_auth';
  if (has('negative_data_rejection') && status >= 400 && status < 500) return 'negative_data_rejection';
  if (has('cross_user_access') && (status === 401 || status === 403 || status === 404)) return 'cross_user_access';
  if (has('unsupported_method') && status === 405) return 'unsupported_method';
  return undefined;
}

/**
 * Why a response check should not judge this answer: its status is one the probe's own check asked
 * for while the spec documents it only through `default` (a 401 the spec never mentions); judging it
 * against `default` would fail the very answer that check demanded.
 */
export function demandedButUndocumented(testCase: TestCase, status: number): string | undefined {
  const op = testCase.operation;
  if (!op) return undefined;
  const code = String(status);
  if (op.responses.some((r) => r.status === code || r.status === `${code[0]}XX`)) return undefined;
  const asker = demandedBy(testCase, status);
  return asker && `status ${status} is documented only by default, and ${asker} asks for it`;
}
