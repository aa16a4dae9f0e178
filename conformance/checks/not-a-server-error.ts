import { type Check, failed, passed } from './check.ts';

export const notAServerError: Check = {
  name: 'not_a_server_error',
  run: ({ testCase, response }) => {
    if (response.status < 500) return passed;
    // A replayed example that documents this very 5xx asks for it: status_code_conformance and
    // example_match judge that answer, it is not a fault of the server.
    if (testCase.kind === 'example' && testCase.example?.status === response.status) return passed;
    return failed('a status below 500', `${response.status}${errorHint(response.text)}`);
  },
};

function errorHint(text: string): string {
  const t = text.trim().slice(0, 100);
  return t ? ` (${t})` : '';
}
