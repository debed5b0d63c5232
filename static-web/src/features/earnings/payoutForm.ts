// The payout request form's check before sending: the amount typed in major units, within the minimum and what is available.
import { formatMoney, toMinor } from "../../lib/money";

export type AmountCheck = { ok: true; amount: number } | { ok: false; message: string };

export function checkPayoutAmount(text: string, currency: string, minPayout: number, available: number): AmountCheck {
  const amount = toMinor(text, currency);
  if (amount === null) return { ok: false, message: "Enter an amount." };
  if (Number.isNaN(amount)) return { ok: false, message: "Enter an amount like 25.00." };
  if (amount < minPayout) return { ok: false, message: `The smallest payout is ${formatMoney(minPayout, currency)}.` };
  if (amount > available) return { ok: false, message: `You have ${formatMoney(Math.max(0, available), currency)} available.` };
  return { ok: true, amount };
}

/** Whether a payout can be asked for at all. */
export function canRequestPayout(minPayout: number, available: number): boolean {
  return available >= minPayout;
}

/** A stable key per form submission, so a retried request is the same payout. */
export function newRequestKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
