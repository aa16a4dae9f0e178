// Credentials in a report or a log line: the suite's reports and the validating proxy mask request
// headers the same way, here.

/** Headers that carry credentials whatever the spec says. */
export const USUAL_SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

/**
 * Request headers as a report may show them: a credential cut to its scheme word and first three
 * characters (`Bearer sec***`), and every cookie of a Cookie header cut alike (`a=1**; session=abc***`),
 * not only the last one. `secretHeaders`: lower-case names, beyond the usual ones, that carry credentials.
 */
export function maskHeaders(headers: Record<string, string>, secretHeaders: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') out[name] = value.replace(/(^|;\s*)([^=;]+)=([^;]*)/g, (_, sep: string, n: string, v: string) => `${sep}${n}=${v.slice(0, 3)}***`);
    else if (USUAL_SECRET_HEADERS.includes(lower) || secretHeaders.includes(lower)) out[name] = value.replace(/(\S+)$/, (t) => `${t.slice(0, 3)}***`);
    else out[name] = value;
  }
  return out;
}
