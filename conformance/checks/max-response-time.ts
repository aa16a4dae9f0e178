import { type Check, failed, passed, skipped } from './check.ts';

export const maxResponseTime: Check = {
  name: 'max_response_time',
  run: ({ response, options }) => {
    const limit = options.maxResponseTimeMs;
    if (limit === undefined) return skipped('no threshold set (--max-response-time)');
    return response.durationMs <= limit ? passed : failed(`an answer within ${limit} ms`, `${Math.round(response.durationMs)} ms`);
  },
};
