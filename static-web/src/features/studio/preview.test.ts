import { describe, expect, it } from "vitest";
import { PREVIEW_LABEL, canRate, isPreview, pricingLine, receiptExpected } from "./preview";

const used = { messageCount: 3, cost: { amount: 0, currency: "USD" } };

describe("the owner's preview of their clone", () => {
  it("is told apart by the session's preview flag", () => {
    expect(isPreview({ preview: true })).toBe(true);
    expect(isPreview({ preview: false })).toBe(false);
    expect(PREVIEW_LABEL).toBe("Preview — free, not counted");
  });

  it("cannot be rated, where a user's session can", () => {
    expect(canRate({ preview: true })).toBe(false);
    expect(canRate({ preview: false })).toBe(true);
  });

  it("gets no receipt, even when used and the host mails receipts", () => {
    expect(receiptExpected({ receipts: true }, { ...used, preview: true })).toBe(false);
    expect(receiptExpected({ receipts: true }, { ...used, preview: false })).toBe(true);
    expect(receiptExpected({}, { ...used, preview: false })).toBe(false);
  });

  it("says it is free in the pricing line, with what users pay", () => {
    expect(pricingLine({ preview: true }, "$0.50 / min")).toBe("Free preview · users pay $0.50 / min");
    expect(pricingLine({ preview: false }, "$0.50 / min")).toBe("$0.50 / min");
  });
});
