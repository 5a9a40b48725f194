/**
 * Money is stored as integer minor units (pence, cents, yen) with a currency code.
 * The number of minor digits comes from Intl, so JPY (0) and KWD (3) format right.
 *
 * Intl formatters cost far more to build than to use (a month close formats money
 * tens of thousands of times), so each one is built once per currency and locale.
 */
const formatters = new Map<string, { digits: number; format: Intl.NumberFormat }>();

function formatterFor(currency: string, locale: string) {
  const key = `${locale}|${currency}`;
  let cached = formatters.get(key);
  if (!cached) {
    const digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    const format = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    cached = { digits, format };
    formatters.set(key, cached);
  }
  return cached;
}

export function minorUnitDigits(currency: string): number {
  return formatterFor(currency, "en").digits;
}

/** "£" for GBP, "JP¥" for JPY, "KWD" for KWD: how a price field's label names the currency. */
export function currencySymbol(currency: string, locale = "en-GB"): string {
  const parts = new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(0);
  return parts.find((part) => part.type === "currency")?.value ?? currency;
}

export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  const { digits, format } = formatterFor(currency, locale);
  return format.format(minor / 10 ** digits);
}
