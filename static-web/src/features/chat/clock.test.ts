import { describe, expect, it } from "vitest";
import type { ChatSession } from "../../api/contract";
import { costAt, elapsedAt, formatDuration, receiptSent, spokenDuration } from "./clock";

const base: Pick<ChatSession, "status" | "elapsedSeconds" | "startedAt" | "endedAt" | "cost" | "pricing"> = {
  status: "active",
  elapsedSeconds: 30,
  startedAt: "2030-01-01T10:00:00Z",
  endedAt: null,
  cost: { amount: 50, currency: "USD" },
  pricing: { perMinute: 50, perMessage: 10, currency: "USD", freeMessages: 3 },
};

describe("session clock", () => {
  it("runs on from the API's elapsed time while active", () => {
    expect(elapsedAt(base, 1_000, 1_000)).toBe(30);
    expect(elapsedAt(base, 1_000, 6_500)).toBe(35.5);
    // A clock that went backwards never runs the timer back.
    expect(elapsedAt(base, 1_000, 0)).toBe(30);
  });

  it("stops at the end", () => {
    const ended = { ...base, status: "ended" as const, endedAt: "2030-01-01T10:05:00Z", elapsedSeconds: 300 };
    expect(elapsedAt(ended, 0, 10_000_000)).toBe(300);
  });

  it("adds the per-minute price for each minute started since the API's figure", () => {
    expect(costAt(base, 59)).toEqual({ amount: 50, currency: "USD" });
    expect(costAt(base, 61)).toEqual({ amount: 100, currency: "USD" });
    expect(costAt(base, 121)).toEqual({ amount: 150, currency: "USD" });
    // Just started: the first minute is already in the API's cost.
    expect(costAt({ ...base, elapsedSeconds: 0, cost: { amount: 50, currency: "USD" } }, 5)).toEqual({ amount: 50, currency: "USD" });
  });

  it("keeps the cost when there is no per-minute price or the session ended", () => {
    expect(costAt({ ...base, pricing: { ...base.pricing, perMinute: null } }, 500)).toEqual(base.cost);
    expect(costAt({ ...base, status: "ended" }, 500)).toEqual(base.cost);
  });

  it("formats durations", () => {
    expect(formatDuration(5.9)).toBe("0:05");
    expect(formatDuration(754)).toBe("12:34");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(-3)).toBe("0:00");
    expect(spokenDuration(754)).toBe("12 minutes 34 seconds");
    expect(spokenDuration(0)).toBe("0 seconds");
  });
});

describe("receiptSent", () => {
  const used = { messageCount: 2, cost: { amount: 0 } };
  const charged = { messageCount: 0, cost: { amount: 50 } };
  const neither = { messageCount: 0, cost: { amount: 0 } };

  it("is true where the host emails receipts and the session was used or charged", () => {
    expect(receiptSent({ receipts: true }, used)).toBe(true);
    expect(receiptSent({ receipts: true }, charged)).toBe(true);
  });

  it("is false for an unused free session, and wherever the host sends no email", () => {
    expect(receiptSent({ receipts: true }, neither)).toBe(false);
    expect(receiptSent({ receipts: false }, used)).toBe(false);
    expect(receiptSent({}, used)).toBe(false);
  });
});
