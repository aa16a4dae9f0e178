// Credentials never reach a log line or a report: the headers and query parameters that carry them
// (the spec's security schemes, and the usual names when a spec declares none) are masked.
import type { SpecModel } from '../../conformance/model.ts';
import { USUAL_SECRET_HEADERS } from '../../conformance/reporters/mask.ts';

export { maskHeaders } from '../../conformance/reporters/mask.ts';

const USUAL_QUERY = ['access_token', 'api_key', 'apikey', 'token', 'key'];

function apiKeyNames(spec: SpecModel, where: 'header' | 'query' | 'cookie'): string[] {
  const names = new Set<string>();
  for (const op of spec.operations) {
    for (const r of op.security) {
      for (const { scheme } of r.schemes) if (scheme.type === 'apiKey' && scheme.in === where && typeof scheme.name === 'string') names.add(scheme.name.toLowerCase());
    }
  }
  return [...names];
}

/** Lower-case header names whose values are credentials. */
export function secretHeaderNames(spec: SpecModel): string[] {
  return [...new Set([...USUAL_SECRET_HEADERS, ...apiKeyNames(spec, 'header')])];
}

export function secretQueryNames(spec: SpecModel): string[] {
  return [...new Set([...USUAL_QUERY, ...apiKeyNames(spec, 'query')])];
}

/** `/x?api_key=abcdef&q=1` -> `/x?api_key=abc***&q=1`: the first three characters, as the suite's reports mask. */
export function maskUrl(pathAndQuery: string, secretQuery: string[]): string {
  const at = pathAndQuery.indexOf('?');
  if (at < 0) return pathAndQuery;
  const query = pathAndQuery.slice(at + 1).replace(/(^|&)([^=&]+)=([^&]*)/g, (whole, sep: string, name: string, value: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return secretQuery.includes(decoded.toLowerCase()) ? `${sep}${name}=${value.slice(0, 3)}***` : whole;
  });
  return `${pathAndQuery.slice(0, at + 1)}${query}`;
}
