// Top-up amounts: the presets the wallet page offers and what a custom amount may be (as the API checks it).
import { formatMoney, toMinor } from "../../lib/money";

/** $5, $10, $25, $50 in minor units. */
export const PRESET_AMOUNTS = [500, 1000, 2500, 5000] as const;
export const MIN_TOP_UP = 100;
export const MAX_TOP_UP = 100_000;

/** The amount typed into "Custom amount" in minor units, or why it cannot be topped up. */
export function parseCustomAmount(text: string, currency: string): { amount: number } | { error: string } {
  const amount = toMinor(text, currency);
  if (amount === null) return { error: "Enter an amount." };
  if (Number.isNaN(amount)) return { error: "Enter an amount such as 12.50." };
  if (amount < MIN_TOP_UP || amount > MAX_TOP_UP)
    return { error: `Top up between ${formatMoney(MIN_TOP_UP, currency)} and ${formatMoney(MAX_TOP_UP, currency)}.` };
  return { amount };
}

/** A fresh key for one top-up (a retry of the same request reuses it, so it is created once). */
export function newIdempotencyKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Card numbers are typed in groups of four: "4242424242424242" → "4242 4242 4242 4242". */
export function groupCardNumber(text: string): string {
  const digits = text.replace(/\D/g, "").slice(0, 19);
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}
