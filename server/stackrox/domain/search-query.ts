// The StackRox search query language, as a pure module: parse a query against a table of fields, then
// test documents (field key -> values) against it. Nothing here knows about images.
//
//   Field:v1,v2+Field2:v3     values of one field are OR'ed, pairs are AND'ed
//   labels                    case-insensitive; unknown labels are dropped (as the service does)
//   value                     case-insensitive prefix match by default
//   "value"                   exact (case-insensitive)          r/regex   RE2 regular expression (case-insensitive)
//   c/value                   contains                          a*b       wildcard (anchored glob)
//   !value                    none of the field's values match  -         the field has no value
//   <n <=n >n >=n ==n          comparisons on number and time fields (a time is a date, an RFC 3339 moment,
//                             or a duration such as 30d / 12h meaning that long before now)
//
// r/ and * are evaluated by RE2 (re2js, a port of Go's regexp, the engine the service uses): time linear
// in the text, never backtracking. With RegExp, r/^.{16}(?:[^:]|[^:])*$ took 5.5 s on one 70-character
// demo image name, doubling per character, and blocked the event loop (every contract) meanwhile.

import { RE2JS, RE2JSException } from 're2js';

export type FieldType = 'string' | 'number' | 'time' | 'bool';

export interface FieldDef {
  /** The label users write, e.g. "Image Top CVSS". */
  label: string;
  type: FieldType;
}

export type Value = string | number | boolean;
/** A document to test: the values of each field by label (lower case); an absent key or [] is "unset". */
export type Doc = ReadonlyMap<string, readonly Value[]>;

type Comparator = '<' | '<=' | '>' | '>=' | '==';

type Test =
  | { kind: 'prefix' | 'exact' | 'contains'; text: string }
  | { kind: 'regex'; re: RE2JS }
  | { kind: 'null' }
  | { kind: 'compare'; op: Comparator; number: number }
  | { kind: 'day'; start: number; end: number }
  | { kind: 'bool'; value: boolean };

interface Matcher {
  negate: boolean;
  test: Test;
}

export interface Pair {
  field: FieldDef;
  matchers: Matcher[];
}

export interface ParsedQuery {
  pairs: Pair[];
  /** Labels the query named that no field has; they were dropped. */
  dropped: string[];
}

/** Why a query is malformed, in words meant for the client; returned, never thrown. */
export class QueryError {
  constructor(readonly message: string) {}
}

const failed = (message: string) => new QueryError(message);

export interface ParseOptions {
  /** Milliseconds since the epoch, for relative times (30d). */
  now: number;
}

/** Splits on `sep` outside double quotes; an unterminated quote is an error. */
function splitOutsideQuotes(text: string, sep: string, query: string): string[] | QueryError {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (quoted) return failed(`query ${JSON.stringify(query)} has an unterminated quote`);
  parts.push(current);
  return parts;
}

const DURATION = /^(\d+(?:\.\d+)?)(d|h|m)$/i;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** A time value: { at } for a moment, { day } for a whole UTC day, relative durations resolved against now. */
function parseTime(text: string, now: number, label: string): { at: number; relative: boolean } | { dayStart: number } | QueryError {
  const duration = DURATION.exec(text);
  if (duration) return { at: now - Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase() as 'd' | 'h' | 'm'], relative: true };
  const us = US_DATE.exec(text);
  const iso = us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : ISO_DATE.test(text) ? text : undefined;
  if (iso) {
    const dayStart = Date.parse(`${iso}T00:00:00Z`);
    if (!Number.isNaN(dayStart)) return { dayStart };
  }
  const at = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isNaN(at)) return { at, relative: false };
  return failed(`field "${label}" needs a time (2024-01-31, 01/31/2024, an RFC 3339 time or a duration like 30d), got ${JSON.stringify(text)}`);
}

/** The longest r/ pattern accepted, in characters: it bounds the cost of parsing and compiling one. */
export const MAX_REGEX_LENGTH = 256;
/**
 * The most RE2 instructions the regular expressions of one query (r/ and * values) may compile to
 * together. Matching costs at most (instructions x text length) per value, so this bounds a search's
 * work: a short pattern can still compile large (`.{1000}` is 1,001 instructions).
 */
export const MAX_QUERY_PROGRAM = 2000;

/** A case-insensitive RE2 program, or what RE2's parser (Go's messages) says is wrong with the pattern. */
function compiled(pattern: string, label: string): RE2JS | QueryError {
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error; // not a pattern problem: a bug
    return failed(`field "${label}" has an invalid regular expression ${JSON.stringify(pattern)} (${error.message})`);
  }
}

const COMPARATOR = /^(<=|>=|==|<|>)\s*(.*)$/s;
const FLIP: Record<Comparator, Comparator> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

function parseValue(raw: string, field: FieldDef, options: ParseOptions): Matcher | QueryError {
  let text = raw.trim();
  let negate = false;
  if (text.startsWith('!')) {
    negate = true;
    text = text.slice(1).trim();
  }
  const label = field.label;
  if (text === '') return failed(`field "${label}" has an empty value`);
  if (text === '-') return { negate, test: { kind: 'null' } };
  if (text.toLowerCase().startsWith('tr/')) return failed(`field "${label}": time ranges (tr/) are not supported; use two comparisons joined by +`);

  const comparison = COMPARATOR.exec(text);
  if (field.type === 'number') {
    const [op, number] = comparison ? [comparison[1] as Comparator, comparison[2]!.trim()] : ['==' as const, text];
    const n = Number(number);
    if (number === '' || !Number.isFinite(n)) return failed(`field "${label}" needs a number, got ${JSON.stringify(text)}`);
    return { negate, test: { kind: 'compare', op, number: n } };
  }
  if (field.type === 'time') {
    const [op, rest] = comparison ? [comparison[1] as Comparator, comparison[2]!.trim()] : [undefined, text];
    const time = parseTime(rest, options.now, label);
    if (time instanceof QueryError) return time;
    if ('dayStart' in time) {
      const end = time.dayStart + UNIT_MS.d;
      if (op === undefined || op === '==') return { negate, test: { kind: 'day', start: time.dayStart, end } };
      // on a whole day: "> day" is after its end, ">= day" from its start
      const bound = op === '>' || op === '<=' ? end : time.dayStart;
      return { negate, test: { kind: 'compare', op: op === '<=' ? '<' : op === '>' ? '>=' : op, number: bound } };
    }
    if (op === undefined) return failed(`field "${label}": a time needs a comparison such as >${text} or <${text}`);
    // "> 30d" reads "more than 30 days ago", which is earlier than now - 30d
    return { negate, test: { kind: 'compare', op: time.relative ? FLIP[op] : op, number: time.at } };
  }
  if (field.type === 'bool') {
    const lower = text.toLowerCase();
    if (lower !== 'true' && lower !== 'false') return failed(`field "${label}" needs true or false, got ${JSON.stringify(text)}`);
    return { negate, test: { kind: 'bool', value: lower === 'true' } };
  }
  if (comparison) return failed(`field "${label}" holds text and cannot be compared with ${comparison[1]}`);
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return { negate, test: { kind: 'exact', text: text.slice(1, -1).toLowerCase() } };
  if (text.includes('"')) return failed(`field "${label}": a quoted value must be quoted as a whole, got ${JSON.stringify(text)}`);
  if (text.toLowerCase().startsWith('r/')) {
    const pattern = text.slice(2);
    if (pattern.length > MAX_REGEX_LENGTH) {
      return failed(`field "${label}" has a regular expression of ${pattern.length} characters; at most ${MAX_REGEX_LENGTH} are allowed`);
    }
    const re = compiled(pattern, label);
    return re instanceof QueryError ? re : { negate, test: { kind: 'regex', re } };
  }
  if (text.toLowerCase().startsWith('c/')) {
    const needle = text.slice(2);
    if (needle === '') return failed(`field "${label}" has an empty c/ value`);
    return { negate, test: { kind: 'contains', text: needle.toLowerCase() } };
  }
  if (text.includes('*')) {
    const re = compiled(`^${text.split('*').map((part) => RE2JS.quote(part)).join('.*')}$`, label);
    return re instanceof QueryError ? re : { negate, test: { kind: 'regex', re } };
  }
  return { negate, test: { kind: 'prefix', text: text.toLowerCase() } };
}

/** Parses a query, or says why it is malformed. */
export function parseQuery(query: string, fields: readonly FieldDef[], options: ParseOptions): ParsedQuery | QueryError {
  const byLabel = new Map(fields.map((f) => [f.label.toLowerCase(), f]));
  const result: ParsedQuery = { pairs: [], dropped: [] };
  if (query.trim() === '') return result;
  const pairs = splitOutsideQuotes(query, '+', query);
  if (pairs instanceof QueryError) return pairs;
  for (const rawPair of pairs) {
    const pair = rawPair.trim();
    if (pair === '') return failed(`query ${JSON.stringify(query)} has an empty pair (two + in a row, or a + at an end)`);
    const colon = pair.indexOf(':');
    if (colon < 0) return failed(`pair ${JSON.stringify(pair)} has no ':' between a field and its values`);
    const label = pair.slice(0, colon).trim();
    if (label === '') return failed(`pair ${JSON.stringify(pair)} names no field before ':'`);
    const values = pair.slice(colon + 1);
    if (values.trim() === '') return failed(`field "${label}" has no value`);
    const field = byLabel.get(label.toLowerCase());
    if (!field) {
      result.dropped.push(label);
      continue;
    }
    const texts = splitOutsideQuotes(values, ',', query);
    if (texts instanceof QueryError) return texts;
    const matchers: Matcher[] = [];
    for (const text of texts) {
      const matcher = parseValue(text, field, options);
      if (matcher instanceof QueryError) return matcher;
      matchers.push(matcher);
    }
    result.pairs.push({ field, matchers });
  }
  const program = result.pairs.flatMap((p) => p.matchers).reduce((sum, m) => sum + (m.test.kind === 'regex' ? m.test.re.programSize() : 0), 0);
  if (program > MAX_QUERY_PROGRAM) {
    return failed(`its regular expressions compile to ${program} RE2 instructions; at most ${MAX_QUERY_PROGRAM} are allowed in one query`);
  }
  return result;
}

function testValue(test: Test, value: Value): boolean {
  switch (test.kind) {
    case 'prefix':
      return String(value).toLowerCase().startsWith(test.text);
    case 'exact':
      return String(value).toLowerCase() === test.text;
    case 'contains':
      return String(value).toLowerCase().includes(test.text);
    case 'regex':
      return test.re.test(String(value));
    case 'bool':
      return value === test.value;
    case 'day':
      return typeof value === 'number' && value >= test.start && value < test.end;
    case 'compare': {
      if (typeof value !== 'number') return false;
      const n = test.number;
      return { '<': value < n, '<=': value <= n, '>': value > n, '>=': value >= n, '==': value === n }[test.op];
    }
    case 'null':
      return false; // handled on the whole field
  }
}

function matcherHolds(matcher: Matcher, values: readonly Value[]): boolean {
  const hit = matcher.test.kind === 'null' ? values.length === 0 : values.some((v) => testValue(matcher.test, v));
  return matcher.negate ? !hit : hit;
}

/** True when the document satisfies every pair (and, in each pair, at least one of its values). */
export function matchesQuery(parsed: ParsedQuery, doc: Doc): boolean {
  return parsed.pairs.every((pair) => {
    const values = doc.get(pair.field.label.toLowerCase()) ?? [];
    return pair.matchers.some((m) => matcherHolds(m, values));
  });
}
