import { describe, expect, it } from 'vitest';
import { centsFromNumber, centsFromString, meanTenths, moneyFromCents, tenthsFromNumber } from './decimal.ts';

describe('tenthsFromNumber rounds half up on the decimal as written', () => {
  it.each([
    [5, 50], [0, 0], [4.45, 45], [4.44, 44], [0.05, 1], [0.15, 2], [2.25, 23], [4.95, 50], [1.005, 10], [3.5, 35], [1e-7, 0],
  ])('%d -> %d tenths', (rating, tenths) => {
    expect(tenthsFromNumber(rating)).toBe(tenths);
  });
});

describe('money', () => {
  it.each([
    ['50.00', 5000], ['10', 1000], ['0.1', 10], ['44.01', 4401], ['0.00', 0],
  ])('centsFromString(%s) = %d', (text, cents) => {
    expect(centsFromString(text)).toBe(cents);
  });

  it.each(['-1', '1.234', 'abc', '', '1e3'])('centsFromString refuses %j', (text) => {
    expect(() => centsFromString(text)).toThrow(RangeError);
  });

  it.each([[5.99, 599], [0.1, 10], [24.99, 2499], [1.15, 115], [0.29, 29]])('centsFromNumber(%d) = %d', (amount, cents) => {
    expect(centsFromNumber(amount)).toBe(cents);
  });

  it('prints cents as the number a person expects', () => {
    expect(moneyFromCents(5000 - 599)).toBe(44.01);
    expect(moneyFromCents(970)).toBe(9.7);
  });
});

describe('meanTenths rounds the mean half up', () => {
  it.each([
    [6390, 142, 45], [6440, 143, 45], [6370, 142, 45], [0, 0, 0], [15, 2, 8], [14, 2, 7], [50, 1, 50], [7852, 302, 26],
  ])('%d tenths over %d ratings -> %d', (sum, count, mean) => {
    expect(meanTenths(sum, count)).toBe(mean);
  });
});
