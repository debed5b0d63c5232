// Prices travel as integer minor units (cents); people type and read major units (dollars).
import type { Pricing } from "../api/contract";

/** How many minor-unit digits a currency has (JPY 0, USD 2...). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "1.5" USD -> 150. Blank -> null. Not a non-negative number -> NaN. */
export function toMinor(major: string, currency: string): number | null {
  const text = major.trim().replace(/,/g, "");
  if (text === "") return null;
  if (!/^\d*(\.\d*)?$/.test(text) || text === ".") return Number.NaN;
  const digits = minorDigits(currency);
  const [whole = "0", fraction = ""] = text.split(".");
  if (fraction.length > digits) {
    // Round half up on the extra digits without floating point error.
    const value = Number(`${whole}.${fraction}`);
    return Math.round(value * 10 ** digits);
  }
  return Number(whole || "0") * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** 150 USD -> "1.50" (for an input box). null -> "". */
export function toMajorInput(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return "";
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** 150 USD -> "$1.50". */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** "$0.50 / min · $0.10 / message · 3 free messages" */
export function formatPricing(pricing: Pricing): string {
  const parts: string[] = [];
  if (pricing.perMinute !== null && pricing.perMinute !== undefined) {
    parts.push(`${formatMoney(pricing.perMinute, pricing.currency)} / min`);
  }
  if (pricing.perMessage !== null && pricing.perMessage !== undefined) {
    parts.push(`${formatMoney(pricing.perMessage, pricing.currency)} / message`);
  }
  if (pricing.freeMessages > 0) {
    parts.push(`${pricing.freeMessages} free message${pricing.freeMessages === 1 ? "" : "s"}`);
  }
  return parts.length > 0 ? parts.join(" · ") : "Price not set";
}

/** The headline price on a card: the per-minute price, else the per-message one. */
export function headlinePrice(pricing: Pricing): string {
  if (pricing.perMinute !== null && pricing.perMinute !== undefined) {
    return `${formatMoney(pricing.perMinute, pricing.currency)} / min`;
  }
  if (pricing.perMessage !== null && pricing.perMessage !== undefined) {
    return `${formatMoney(pricing.perMessage, pricing.currency)} / message`;
  }
  return "Price not set";
}
