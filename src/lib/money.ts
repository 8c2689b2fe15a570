// Money is an integer count of minor units (cents) with a currency. What people type
// is parsed as text, digit by digit: a float would turn 0.29 € into 28.999… cents.
// Every currency we take is treated as having two decimals (what numeric(10,2) held).
import { z } from 'zod';

// "1250", "1 250" (regular, no-break or narrow no-break space between thousands), then
// an optional "," or "." and one or two decimals. No sign, no exponent, no dot grouping.
const AMOUNT = /^(\d{1,12}|\d{1,3}(?:[ \u00A0\u202F]\d{3}){1,3})(?:[.,](\d{1,2}))?$/;

/** "25", "25.5", "25,50", " 1 250,00 " → 2500, 2550, 2550, 125000; anything else → undefined. */
export function parseMoney(input: string): number | undefined {
  const match = AMOUNT.exec(input.trim());
  if (!match) return undefined;
  const whole = Number(match[1]!.replace(/[ \u00A0\u202F]/g, ''));
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  // Integers below 10^14: exact in a double.
  return whole * 100 + fraction;
}

function split(cents: number): { whole: string; fraction: string } {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`not an amount in cents: ${cents}`);
  return { whole: String(Math.floor(cents / 100)), fraction: String(cents % 100).padStart(2, '0') };
}

/** 2550 → "25.50": an exact decimal string, for Intl and for exports. */
export function minorToDecimal(cents: number): string {
  const { whole, fraction } = split(cents);
  return `${whole}.${fraction}`;
}

/** What an edit form shows for a stored amount: 2550 → "25,50" (fr) or "25.50" (en); 2500 → "25". */
export function centsToInput(cents: number, locale: 'fr' | 'en'): string {
  const { whole, fraction } = split(cents);
  if (fraction === '00') return whole;
  return `${whole}${locale === 'fr' ? ',' : '.'}${fraction}`;
}

/**
 * A form field holding an amount, parsed to cents. `error` is the message key shown
 * beside the field (it should say the accepted range); `max` is in cents.
 */
export function moneyField(options: { max: number; error?: string }) {
  const error = options.error ?? 'validation.money';
  return z.string().transform((value, ctx) => {
    const cents = parseMoney(value);
    if (cents === undefined || cents > options.max) {
      ctx.addIssue({ code: 'custom', message: error });
      return z.NEVER;
    }
    return cents;
  });
}
