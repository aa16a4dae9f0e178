import { type Check, failed, passed } from './check.ts';

export const notAServerError: Check = {
  name: 'not_a_server_error',
  run: ({ response }) =>
    response.status < 500 ? passed : failed('a status below 500', `${response.status}${errorHint(response.text)}`),
};

function errorHint(text: string): string {
  const t = text.trim().slice(0, 100);
  return t ? ` (${t})` : '';
}
