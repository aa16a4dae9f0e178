// Exact decimal arithmetic for the two kinds of numbers the API carries: money (cents) and
// ratings (tenths). Binary floats never take part in a sum or a comparison that decides a rule.

/** The shortest decimal text of a finite number, as JSON would print it, without exponent. */
function plainDecimal(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent form only happens for very small or very large values; toFixed(20) is exact enough there.
  return Math.abs(value) < 1 ? value.toFixed(20) : BigInt(Math.round(value)).toString();
}

/**
 * Scales a non-negative decimal to an integer number of 1/10^places units, rounding half up on the
 * decimal text (4.45 -> 44.5 tenths -> 45), which is what a person writing 4.45 means.
 */
export function toScaledHalfUp(value: number, places: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a non-negative finite number: ${value}`);
  const [whole = '0', fraction = ''] = plainDecimal(value).split('.');
  const kept = fraction.slice(0, places).padEnd(places, '0');
  const roundUp = (fraction[places] ?? '0') >= '5' ? 1 : 0;
  return Number(whole) * 10 ** places + Number(kept) + roundUp;
}

/** Parses a money amount written as a decimal string ("50.00") into integer cents, exactly. */
export function centsFromString(text: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a money amount: ${text}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export const centsFromNumber = (amount: number): number => toScaledHalfUp(amount, 2);
export const tenthsFromNumber = (rating: number): number => toScaledHalfUp(rating, 1);

/** Integer cents as the JSON number clients see (4401 -> 44.01, never 44.009999). */
export const moneyFromCents = (cents: number): number => cents / 100;
export const ratingFromTenths = (tenths: number): number => tenths / 10;

/** The mean of `count` values summing to `sumTenths`, in tenths, rounded half up; 0 when count is 0. */
export function meanTenths(sumTenths: number, count: number): number {
  if (count === 0) return 0;
  return Math.floor((2 * sumTenths + count) / (2 * count));
}
