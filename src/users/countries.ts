// Countries and spoken languages offered in profile forms, named in the viewer's
// language by Intl.DisplayNames so no catalogue of names has to be maintained.
import type { Locale } from '../i18n/index.ts';

export const COUNTRY_CODES = [
  'FR', 'BE', 'CH', 'LU', 'MC', 'CA', 'SN', 'CI', 'CM', 'ML', 'BF', 'NE', 'TG', 'BJ', 'GN', 'GA', 'CG', 'CD', 'MG', 'MA',
  'DZ', 'TN', 'MU', 'RE', 'HT', 'GB', 'IE', 'US', 'DE', 'ES', 'IT', 'PT', 'NL', 'NG', 'GH', 'KE', 'RW', 'ZA', 'BR', 'IN',
] as const;

export const LANGUAGE_CODES = ['fr', 'en', 'es', 'de', 'it', 'pt', 'ar', 'wo', 'ln', 'sw', 'nl', 'zh', 'ja', 'ru', 'bm', 'ff'] as const;

export const CURRENCIES = ['EUR', 'XOF', 'XAF', 'CAD', 'USD', 'GBP', 'CHF'] as const;

export function countryName(code: string | null | undefined, locale: Locale): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function languageName(code: string, locale: Locale): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
    return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
  } catch {
    return code;
  }
}

export function countryOptions(locale: Locale): { value: string; label: string }[] {
  return COUNTRY_CODES.map((c) => ({ value: c, label: countryName(c, locale) })).sort((a, b) => a.label.localeCompare(b.label, locale));
}
