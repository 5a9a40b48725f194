/**
 * Money is stored as integer minor units (pence, cents, yen) with a currency code.
 * The number of minor digits comes from Intl, so JPY (0) and KWD (3) format right.
 */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "£" for GBP, "JP¥" for JPY, "KWD" for KWD: how a price field's label names the currency. */
export function currencySymbol(currency: string, locale = "en-GB"): string {
  const parts = new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(0);
  return parts.find((part) => part.type === "currency")?.value ?? currency;
}

export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}
