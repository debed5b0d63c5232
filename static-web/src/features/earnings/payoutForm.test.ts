import { describe, expect, it } from "vitest";
import { canRequestPayout, checkPayoutAmount } from "./payoutForm";

describe("checkPayoutAmount", () => {
  it("takes an amount in major units between the minimum and what is available", () => {
    expect(checkPayoutAmount("25", "USD", 1_000, 4_000)).toEqual({ ok: true, amount: 2_500 });
    expect(checkPayoutAmount("10.00", "USD", 1_000, 4_000)).toEqual({ ok: true, amount: 1_000 });
    expect(checkPayoutAmount("40", "USD", 1_000, 4_000)).toEqual({ ok: true, amount: 4_000 });
  });

  it("names the limit an amount is outside of", () => {
    expect(checkPayoutAmount("9.99", "USD", 1_000, 4_000)).toEqual({ ok: false, message: "The smallest payout is $10.00." });
    expect(checkPayoutAmount("40.01", "USD", 1_000, 4_000)).toEqual({ ok: false, message: "You have $40.00 available." });
  });

  it("refuses blank and malformed amounts", () => {
    expect(checkPayoutAmount("  ", "USD", 1_000, 4_000)).toEqual({ ok: false, message: "Enter an amount." });
    expect(checkPayoutAmount("ten", "USD", 1_000, 4_000).ok).toBe(false);
    expect(checkPayoutAmount("-5", "USD", 1_000, 4_000).ok).toBe(false);
  });

  it("counts whole yen for a currency without minor digits", () => {
    expect(checkPayoutAmount("1500", "JPY", 1_000, 4_000)).toEqual({ ok: true, amount: 1_500 });
  });
});

describe("canRequestPayout", () => {
  it("needs at least the minimum available", () => {
    expect(canRequestPayout(1_000, 999)).toBe(false);
    expect(canRequestPayout(1_000, 1_000)).toBe(true);
  });
});
