import type { CheckName } from '../model.ts';
import type { Check } from './check.ts';
import { contentTypeConformance } from './content-type-conformance.ts';
import { crossUserAccess } from './cross-user-access.ts';
import { exampleMatch } from './example-match.ts';
import { maxResponseTime } from './max-response-time.ts';
import { missingAuth } from './missing-auth.ts';
import { negativeDataRejection } from './negative-data-rejection.ts';
import { notAServerError } from './not-a-server-error.ts';
import { positiveDataAcceptance } from './positive-data-acceptance.ts';
import { requestConformance } from './request-conformance.ts';
import { responseHeadersConformance } from './response-headers-conformance.ts';
import { responseSchemaConformance } from './response-schema-conformance.ts';
import { statusCodeConformance } from './status-code-conformance.ts';
import { successCriteria } from './success-criteria.ts';
import { unsupportedMethod } from './unsupported-method.ts';

export const CHECKS: Record<CheckName, Check> = {
  not_a_server_error: notAServerError,
  status_code_conformance: statusCodeConformance,
  content_type_conformance: contentTypeConformance,
  response_schema_conformance: responseSchemaConformance,
  response_headers_conformance: responseHeadersConformance,
  example_match: exampleMatch,
  negative_data_rejection: negativeDataRejection,
  positive_data_acceptance: positiveDataAcceptance,
  missing_auth: missingAuth,
  cross_user_access: crossUserAccess,
  unsupported_method: unsupportedMethod,
  max_response_time: maxResponseTime,
  success_criteria: successCriteria,
  request_conformance: requestConformance,
};

export const CHECK_NAMES = Object.keys(CHECKS) as CheckName[];

export function isCheckName(name: string): name is CheckName {
  return name in CHECKS;
}
