// The query language as a table: a query, a document, and whether it matches; then malformed queries.
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_PROGRAM, MAX_REGEX_LENGTH, matchesQuery, parseQuery, QueryError, type FieldDef, type ParsedQuery, type Value } from './search-query.ts';

const FIELDS: FieldDef[] = [
  { label: 'Image', type: 'string' },
  { label: 'Image Tag', type: 'string' },
  { label: 'CVE', type: 'string' },
  { label: 'Severity', type: 'string' },
  { label: 'Image Top CVSS', type: 'number' },
  { label: 'Image Created Time', type: 'time' },
  { label: 'Fixable', type: 'bool' },
];
const NOW = Date.parse('2026-11-26T09:00:00Z');
const DAY = 86_400_000;

/** nginx 1.25.3: two CVEs, top CVSS 7.5, built 60 days ago. */
const nginx = {
  image: ['docker.io/library/nginx:1.25.3'],
  'image tag': ['1.25.3'],
  cve: ['CVE-2023-44487', 'CVE-2023-5678'],
  severity: ['IMPORTANT_VULNERABILITY_SEVERITY', 'MODERATE_VULNERABILITY_SEVERITY'],
  'image top cvss': [7.5],
  'image created time': [NOW - 60 * DAY],
  fixable: [true],
};
/** busybox: no CVE, no scan data (top CVSS unset), built 2 days ago. */
const busybox = {
  image: ['docker.io/library/busybox:1.36.1'],
  'image tag': ['1.36.1'],
  cve: [],
  severity: [],
  'image top cvss': [],
  'image created time': [NOW - 2 * DAY],
  fixable: [],
};
const doc = (d: Record<string, Value[]>) => new Map(Object.entries(d));
/** The parsed query; a test of a well-formed query fails here when the parser refuses it. */
function parsed(query: string): ParsedQuery {
  const result = parseQuery(query, FIELDS, { now: NOW });
  if (result instanceof QueryError) throw new Error(`refused ${JSON.stringify(query)}: ${result.message}`);
  return result;
}
const matches = (query: string, d: Record<string, Value[]>) => matchesQuery(parsed(query), doc(d));

describe('matching', () => {
  it.each<[string, string, Record<string, Value[]>, boolean]>([
    ['an empty query matches everything', '', busybox, true],
    ['a blank query matches everything', '   ', nginx, true],
    ['a value is a prefix', 'Image:docker.io/library/ng', nginx, true],
    ['a prefix must start the value', 'Image:library/nginx', nginx, false],
    ['prefixes ignore case', 'image:DOCKER.IO/LIBRARY/NGINX', nginx, true],
    ['labels ignore case', 'iMaGe TaG:1.25', nginx, true],
    ['spaces around label and value are ignored', '  Image Tag :  1.25 ', nginx, true],
    ['a multi-valued field matches when any value does', 'CVE:CVE-2023-5678', nginx, true],
    ['comma is OR within a field', 'CVE:CVE-1999-0001,CVE-2023-44', nginx, true],
    ['comma is OR: no value matches', 'CVE:CVE-1999-0001,CVE-2000', nginx, false],
    ['plus is AND across fields', 'Image:docker.io+CVE:CVE-2023', nginx, true],
    ['plus is AND: one side fails', 'Image:docker.io+CVE:CVE-2021', nginx, false],
    ['the same field twice must hold both', 'CVE:CVE-2023-4+CVE:CVE-2023-5', nginx, true],
    ['severity prefix', 'Severity:important', nginx, true],
    ['"quoted" is exact', 'Image Tag:"1.25.3"', nginx, true],
    ['"quoted" is not a prefix', 'Image Tag:"1.25"', nginx, false],
    ['"quoted" exact ignores case', 'CVE:"cve-2023-44487"', nginx, true],
    ['a quoted value may hold , and +', 'Image:"a,b+c",docker.io', nginx, true],
    ['r/ is a regular expression', 'Image:r/nginx:1\\.2[0-9]', nginx, true],
    ['r/ is unanchored and ignores case', 'Image:r/NGINX', nginx, true],
    ['r/ that does not match', 'Image:r/^nginx', nginx, false],
    ['c/ is contains', 'Image:c/nginx', nginx, true],
    ['c/ that does not match', 'Image:c/redis', nginx, false],
    ['* is a wildcard, anchored', 'Image:*nginx:1.25*', nginx, true],
    ['* anchored at the end', 'Image:*nginx', nginx, false],
    ['! negates: no value matches', 'CVE:!CVE-2021', nginx, true],
    ['! negates: a value matches', 'CVE:!CVE-2023-5678', nginx, false],
    ['! on a field without values holds', 'CVE:!CVE-2021', busybox, true],
    ['! combines with modifiers', 'Image:!r/busybox', nginx, true],
    ['- matches an unset field', 'Image Top CVSS:-', busybox, true],
    ['- does not match a set field', 'Image Top CVSS:-', nginx, false],
    ['!- matches a set field', 'Image Top CVSS:!-', nginx, true],
    ['a number alone is equality', 'Image Top CVSS:7.5', nginx, true],
    ['a number alone: not equal', 'Image Top CVSS:7', nginx, false],
    ['>= includes the bound', 'Image Top CVSS:>=7.5', nginx, true],
    ['> excludes the bound', 'Image Top CVSS:>7.5', nginx, false],
    ['< below', 'Image Top CVSS:<8', nginx, true],
    ['<= includes the bound', 'Image Top CVSS:<=7.5', nginx, true],
    ['== equality', 'Image Top CVSS:==7.5', nginx, true],
    ['comparisons OR within a field', 'Image Top CVSS:<1,>9', nginx, false],
    ['a range with +', 'Image Top CVSS:>7+Image Top CVSS:<8', nginx, true],
    ['a comparison on an unset number fails', 'Image Top CVSS:>0', busybox, false],
    ['>30d is older than 30 days', 'Image Created Time:>30d', nginx, true],
    ['>30d: a recent image is not', 'Image Created Time:>30d', busybox, false],
    ['<7d is newer than 7 days', 'Image Created Time:<7d', busybox, true],
    ['<24h is newer than a day', 'Image Created Time:<24h', busybox, false],
    ['a date alone is that whole day (UTC)', `Image Created Time:${new Date(NOW - 2 * DAY).toISOString().slice(0, 10)}`, busybox, true],
    ['a US date is a day too', 'Image Created Time:11/24/2026', busybox, true],
    ['> a day is after that day', 'Image Created Time:>2026-11-23', busybox, true],
    ['> a day excludes that day', 'Image Created Time:>11/24/2026', busybox, false],
    ['< an RFC 3339 moment', 'Image Created Time:<2026-01-01T00:00:00Z', nginx, false],
    ['a bool field: true', 'Fixable:true', nginx, true],
    ['a bool field ignores case', 'Fixable:TRUE', nginx, true],
    ['a bool field: false does not match only-true values', 'Fixable:false', nginx, false],
    ['an unknown label is dropped, the rest still applies', 'Flavour:vanilla+Image:docker.io/library/busybox', busybox, true],
    ['a query of unknown labels only matches everything', 'Flavour:vanilla', busybox, true],
    ['a value may hold colons (the first one splits)', 'Image:docker.io/library/nginx:1.25.3', nginx, true],
    ['r/ takes RE2 syntax: Perl classes', 'Image Tag:r/^\\d*\\.\\d*\\.\\d*$', nginx, true],
    ['r/ takes RE2 syntax: inline flags and named groups', 'Image:r/(?P<name>nginx):(?-i:1)', nginx, true],
    ['r/ of the longest length allowed', `Image:r/${'[a-z]?'.repeat(41)}docker${'.?'.repeat(2)}`, nginx, true],
    ['the reported attack answers (false) instead of backtracking', 'Image:r/^.{16}(?:[^:]|[^:])*$', nginx, false],
    ['* specials are literal', 'Image:docker.io/library/ngin(x)*', nginx, false],
  ])('%s: %s', (_name, query, d, expected) => {
    expect(matches(query, d)).toBe(expected);
  });

  it('reports the labels it dropped', () => {
    expect(parsed('Flavour:x+Image:y+Colour:z').dropped).toEqual(['Flavour', 'Colour']);
  });
});

describe('malformed queries', () => {
  it.each<[string, string, RegExp]>([
    ['a pair without a colon', 'CVE', /pair "CVE" has no ':'/],
    ['a pair without a value', 'CVE:', /field "CVE" has no value/],
    ['a pair of blank values', 'CVE:   ', /field "CVE" has no value/],
    ['an empty value among others', 'CVE:a,,b', /field "CVE" has an empty value/],
    ['a field name missing', ':nginx', /names no field/],
    ['two + in a row', 'Image:a++CVE:b', /empty pair/],
    ['a + at the end', 'Image:a+', /empty pair/],
    ['an unterminated quote', 'Image:"nginx', /unterminated quote/],
    ['a quote inside a value', 'Image:ng"inx"', /quoted as a whole/],
    ['an invalid regular expression', 'Image:r/([a-z', /invalid regular expression "\(\[a-z" \(error parsing regexp: missing closing \]/],
    ['a backreference (RE2 has none)', 'Image:r/(a)\\1', /invalid regular expression .*invalid escape sequence: `\\1`/],
    ['a lookahead (RE2 has none)', 'Image:r/nginx(?=:)', /invalid regular expression .*invalid or unsupported Perl syntax: `\(\?=`/],
    ['a negative lookahead', 'Image:r/^(?!busybox)', /invalid or unsupported Perl syntax: `\(\?!`/],
    ['a repeat count over 1000 (RE2\'s limit)', 'Image:r/a{1001}', /invalid repeat count/],
    [`an r/ pattern over ${MAX_REGEX_LENGTH} characters`, `Image:r/${'a'.repeat(MAX_REGEX_LENGTH + 1)}`, /regular expression of 257 characters; at most 256 are allowed/],
    [`a short pattern that compiles past ${MAX_QUERY_PROGRAM} instructions`, 'Image:r/.{1000}.{1000}', /compile to 2\d{3} RE2 instructions; at most 2000/],
    ['regular expressions that compile past the bound together', `Image:${Array.from({ length: 5 }, () => 'r/[a-z]{499}').join(',')}`, /compile to \d+ RE2 instructions; at most 2000 are allowed in one query/],
    ['! with nothing after it', 'CVE:!', /empty value/],
    ['c/ with nothing after it', 'Image:c/', /empty c\/ value/],
    ['a number field given text', 'Image Top CVSS:high', /needs a number, got "high"/],
    ['a comparison without a number', 'Image Top CVSS:>=', /needs a number/],
    ['a comparison on a text field', 'Image:>5', /holds text and cannot be compared/],
    ['a time field given text', 'Image Created Time:>yesterday', /needs a time/],
    ['a duration without a comparison', 'Image Created Time:30d', /needs a comparison/],
    ['a time range', 'Image Created Time:tr/2024-01-01', /tr\/\) are not supported/],
    ['a bool field given something else', 'Fixable:yes', /needs true or false/],
  ])('%s (%s)', (_name, query, message) => {
    const result = parseQuery(query, FIELDS, { now: NOW });
    expect(result).toBeInstanceOf(QueryError);
    expect((result as QueryError).message).toMatch(message);
  });

  it('an unknown label with a malformed value is still malformed', () => {
    expect((parseQuery('Flavour:', FIELDS, { now: NOW }) as QueryError).message).toMatch(/has no value/);
  });
});

// The stall of issue 15: a backtracking engine's work doubles per character of the text for this
// pattern (about 3 s for one demo image name). RE2's grows linearly. Shown by comparison in the same
// run, not by a time limit: the cost of one evaluation for a text of n and of 2n characters, for n
// from 8 up; a backtracking engine fails the first step (at least 256 times the work), RE2 stays near 2.
describe('evaluation cost grows linearly with the text (RE2)', () => {
  /** The least time of one evaluation over several trials: noise only ever adds time. */
  function costOf(query: ParsedQuery, text: string): number {
    const d = doc({ image: [text] });
    const reps = Math.max(4, Math.floor(8192 / text.length));
    for (let i = 0; i < reps; i++) matchesQuery(query, d); // warm up (RE2 builds its DFA states lazily)
    let least = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < 7; trial++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) matchesQuery(query, d);
      least = Math.min(least, Number(process.hrtime.bigint() - start) / reps);
    }
    return least;
  }

  it.each<[string, string, (n: number) => string]>([
    ['the reported attack, r/^.{16}(?:[^:]|[^:])*$', 'Image:r/^.{16}(?:[^:]|[^:])*$', (n) => `${'x'.repeat(16)}${'a'.repeat(n)}:`],
    ['nested wildcards', 'Image:*a*a*a*a*a*a*a*a*b', (n) => 'a'.repeat(n)],
  ])('%s: doubling the text at most doubles the work (ratio < 6)', (_name, query, textOf) => {
    const attack = parsed(query);
    expect(matchesQuery(attack, doc({ image: [textOf(8)] }))).toBe(false);
    let previous = costOf(attack, textOf(8));
    for (let n = 16; n <= 4096; n *= 2) {
      const cost = costOf(attack, textOf(n));
      expect(cost / previous, `${n / 2} -> ${n} characters: ${previous.toFixed(0)} ns -> ${cost.toFixed(0)} ns`).toBeLessThan(6);
      previous = cost;
    }
  });
});
