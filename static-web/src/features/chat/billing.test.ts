import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/http";
import type { Pricing } from "../../api/contract";
import { coverText, isPaymentRequired, minutesCovered, neededToStart } from "./billing";

const pricing = (p: Partial<Pricing>): Pricing => ({ perMinute: null, perMessage: null, currency: "USD", freeMessages: 0, ...p }) as Pricing;

describe("what a balance covers", () => {
  it("counts whole minutes at the per-minute price", () => {
    expect(minutesCovered(380, pricing({ perMinute: 10 }))).toBe(38);
    expect(minutesCovered(389, pricing({ perMinute: 10 }))).toBe(38);
    expect(minutesCovered(0, pricing({ perMinute: 10 }))).toBe(0);
    expect(minutesCovered(500, pricing({ perMessage: 10 }))).toBeNull();
  });

  it("needs the first minute and the first message to start, free messages first", () => {
    expect(neededToStart(pricing({ perMinute: 20, perMessage: 5 }))).toBe(25);
    expect(neededToStart(pricing({ perMinute: 20, perMessage: 5, freeMessages: 2 }))).toBe(20);
    expect(neededToStart(pricing({ perMessage: 5, freeMessages: 1 }))).toBe(0);
  });

  it("says it in words", () => {
    expect(coverText({ balance: 380, currency: "USD" }, pricing({ perMinute: 10, freeMessages: 5 }))).toBe("Your balance of $3.80 covers about 38 minutes.");
    expect(coverText({ balance: 10, currency: "USD" }, pricing({ perMinute: 10 }))).toBe("Your balance of $0.10 covers about 1 minute.");
    expect(coverText({ balance: 30, currency: "USD" }, pricing({ perMessage: 10, freeMessages: 2 }))).toBe("Your balance of $0.30 covers about 5 messages.");
    expect(coverText({ balance: 5, currency: "USD" }, pricing({ perMinute: 20 }))).toBe("Your balance of $0.05 is not enough to start: top up at least $0.15.");
  });

  it("knows a 402 when it sees one", () => {
    expect(isPaymentRequired(new ApiError({ status: 402, title: "Insufficient funds", detail: "", errors: {} }))).toBe(true);
    expect(isPaymentRequired(new ApiError({ status: 409, title: "Conflict", detail: "", errors: {} }))).toBe(false);
    expect(isPaymentRequired(new Error("no"))).toBe(false);
  });
});

describe("the chat with a wallet", async () => {
  const { chatReducer } = await import("./state");
  const { costAt, elapsedAt } = await import("./clock");

  it("an out-of-credit error frame fails the question for good", () => {
    let items = chatReducer([], { type: "send", clientMessageId: "k1", content: "Next?", at: "2026-12-06T02:00:00Z" });
    items = chatReducer(items, {
      type: "frame",
      clientMessageId: "k1",
      frame: { type: "error", sessionId: "s1", messageId: "m1", detail: "Your wallet is out of credit.", code: "out-of-credit" },
    });
    const question = items.find((i) => i.role === "user");
    expect(question?.state).toBe("failed");
    expect(question?.failure).toEqual({ title: "Out of credit", messages: ["Your wallet is out of credit."], retryable: false });
  });

  it("the clock stands still until the first question", () => {
    const session = {
      status: "active" as const,
      elapsedSeconds: 0,
      startedAt: "2026-12-06T02:00:00Z",
      endedAt: null,
      clockStartedAt: null,
      cost: { amount: 0, currency: "USD" },
      pricing: pricing({ perMinute: 10 }),
    };
    expect(elapsedAt(session, 0, 5 * 60_000)).toBe(0);
    expect(costAt(session, 300).amount).toBe(0);
    const started = { ...session, clockStartedAt: "2026-12-06T02:00:00Z", cost: { amount: 10, currency: "USD" } };
    expect(elapsedAt(started, 0, 90_000)).toBe(90);
    expect(costAt(started, 90).amount).toBe(20);
  });
});
