import { describe, expect, it } from 'vitest';
import { centsToInput, minorToDecimal, moneyField, parseMoney } from './money.ts';

describe('parseMoney', () => {
  it.each([
    ['25', 2500], ['25.5', 2550], ['25,50', 2550], ['0', 0], ['0,29', 29], ['0.07', 7], ['007', 700],
    [' 1 250,00 ', 125000], ['1\u00a0250', 125000], ['1\u202f250,5', 125050], ['12 345 678,90', 1234567890], ['1250', 125000],
  ])('reads %j as %i cents', (input, cents) => {
    expect(parseMoney(input)).toBe(cents);
  });

  it.each([
    '', ' ', 'abc', '1e3', '1E3', '-5', '+5', '12.345', '25,', '.5', ',50', '1.250,00', '1,250.00', '12 34', '1  250', '1 2500',
    '25 €', '€25', 'Infinity', 'NaN', '0x10', '1_000', '25.5.5', '１２', '9999999999999',
  ])('refuses %j', (input) => {
    expect(parseMoney(input)).toBeUndefined();
  });

  it('never goes through a float: every cent of a euro comes back exact', () => {
    for (let c = 0; c < 100; c++) expect(parseMoney(`19.${String(c).padStart(2, '0')}`)).toBe(1900 + c);
  });
});

describe('formatting cents', () => {
  it('writes an exact decimal and what an edit form shows', () => {
    expect(minorToDecimal(2550)).toBe('25.50');
    expect(minorToDecimal(7)).toBe('0.07');
    expect(minorToDecimal(0)).toBe('0.00');
    expect(centsToInput(2550, 'fr')).toBe('25,50');
    expect(centsToInput(2550, 'en')).toBe('25.50');
    expect(centsToInput(4500, 'fr')).toBe('45');
    expect(centsToInput(5, 'en')).toBe('0.05');
    for (const c of [0, 1, 29, 2550, 125000, 999999]) expect(parseMoney(centsToInput(c, 'fr'))).toBe(c);
  });

  it('refuses what is not a count of cents', () => {
    expect(() => minorToDecimal(25.5)).toThrow(RangeError);
    expect(() => centsToInput(-1, 'fr')).toThrow(RangeError);
  });
});

describe('moneyField', () => {
  const field = moneyField({ max: 1_000_000, error: 'skills.priceFormat' });

  it('gives cents up to the maximum', () => {
    expect(field.parse('10 000')).toBe(1_000_000);
    expect(field.parse('24,50')).toBe(2450);
  });

  it('refuses junk and amounts over the maximum with the given message key', () => {
    for (const input of ['10 000,01', '1e3', 'abc']) {
      const result = field.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('skills.priceFormat');
    }
    expect(moneyField({ max: 100 }).safeParse('2').error?.issues[0]?.message).toBe('validation.money');
  });
});
