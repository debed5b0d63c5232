import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/http";
import type { Citation, EndFrame } from "../../api/contract";
import { chatReducer, fromMessage, isAnswering, toFailure, type ChatItem } from "./state";

const citation = { n: 1, documentId: "d", fileName: "tides.txt", title: "Tides", start: 0, end: 10, page: null, snippet: "", quotes: [], passages: [] };

function ask(items: ChatItem[], key = "k1", content = "What causes the tides?"): ChatItem[] {
  return chatReducer(items, { type: "send", clientMessageId: key, content, at: "2030-01-01T00:00:00Z" });
}

describe("chatReducer", () => {
  it("streams an answer under its question", () => {
    let items = ask([]);
    expect(items.map((i) => [i.role, i.state])).toEqual([["user", "sending"], ["assistant", "waiting"]]);
    expect(isAnswering(items)).toBe(true);
    items = chatReducer(items, {
      type: "frame",
      clientMessageId: "k1",
      frame: { type: "start", sessionId: "s", messageId: "m1", citations: [citation], answerKind: "extractive" },
    });
    expect(items[1]).toMatchObject({ id: "m1", state: "waiting", answerKind: "extractive" });
    for (const text of ["The ", "Moon ", "[1]"]) {
      items = chatReducer(items, { type: "frame", clientMessageId: "k1", frame: { type: "delta", sessionId: "s", messageId: "m1", text } });
    }
    expect(items[1]).toMatchObject({ content: "The Moon [1]", state: "streaming" });
    items = chatReducer(items, {
      type: "frame",
      clientMessageId: "k1",
      frame: { type: "end", sessionId: "s", messageId: "m1", usage: { inputTokens: 1, outputTokens: 2 }, cost: { amount: 0, currency: "USD" }, elapsedSeconds: 3, citations: [] },
    });
    expect(items.map((i) => i.state)).toEqual(["done", "done"]);
    expect(isAnswering(items)).toBe(false);
  });

  it("marks a refused question failed and retries it with the same key, in place", () => {
    let items = ask([]);
    const refused = new ApiError({ status: 400, title: "Validation failed", detail: "One or more fields are invalid.", errors: { content: ["At most 4000 characters."] } });
    items = chatReducer(items, { type: "failed", clientMessageId: "k1", failure: toFailure(refused) });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ state: "failed", failure: { title: "Validation failed", messages: ["One or more fields are invalid.", "Your message: At most 4000 characters."], retryable: false } });
    expect(toFailure(new ApiError({ status: 0, title: "Can't reach CloneAI", detail: "Check your connection and try again.", errors: {} })).retryable).toBe(true);
    expect(toFailure(new ApiError({ status: 502, title: "The server is unavailable", detail: "", errors: {} })).retryable).toBe(true);
    items = ask(items, "k2", "Another question");
    items = ask(items, "k1"); // retry
    expect(items.map((i) => i.key)).toEqual(["u:k1", "a:k1", "u:k2", "a:k2"]);
    expect(items[0]).toMatchObject({ state: "sending", failure: null });
  });

  it("keeps a cut-off answer, marked, when an error frame arrives mid-stream", () => {
    let items = ask([]);
    items = chatReducer(items, { type: "frame", clientMessageId: "k1", frame: { type: "delta", sessionId: "s", messageId: "m", text: "Partial" } });
    items = chatReducer(items, { type: "frame", clientMessageId: "k1", frame: { type: "error", sessionId: "s", messageId: "m", detail: "Upstream failed." } });
    expect(items.map((i) => i.state)).toEqual(["failed", "failed"]);
    expect(items[0]?.failure?.messages).toEqual(["Upstream failed."]);
  });

  const end = (citations?: Citation[]): EndFrame => {
    const frame: EndFrame = { type: "end", sessionId: "s", messageId: "m1", usage: { inputTokens: 1, outputTokens: 2 }, cost: { amount: 0, currency: "USD" }, elapsedSeconds: 3, citations: citations ?? [] };
    if (!citations) delete (frame as Partial<EndFrame>).citations;
    return frame;
  };
  const tides = { ...citation, quotes: [{ start: 2, end: 8 }] };
  const sun = { ...citation, n: 2, documentId: "d2", fileName: "sun.txt", title: "Sun" };

  it("takes a model answer's citations from its end frame", () => {
    let items = ask([]);
    items = chatReducer(items, { type: "frame", clientMessageId: "k1", frame: { type: "start", sessionId: "s", messageId: "m1", citations: [], answerKind: "model" } });
    items = chatReducer(items, { type: "frame", clientMessageId: "k1", frame: { type: "delta", sessionId: "s", messageId: "m1", text: "Moon [1], Sun [2]" } });
    expect(items[1]?.citations).toEqual([]);
    items = chatReducer(items, { type: "frame", clientMessageId: "k1", frame: end([tides, sun]) });
    expect(items[1]).toMatchObject({ state: "done", citations: [tides, sun] });
  });

  it("replaces an extractive answer's start list with the end frame's, and keeps it when the end frame has none", () => {
    const start = (citations: Citation[]) =>
      chatReducer(ask([]), { type: "frame", clientMessageId: "k1", frame: { type: "start", sessionId: "s", messageId: "m1", citations, answerKind: "extractive" } });
    expect(chatReducer(start([citation, sun]), { type: "frame", clientMessageId: "k1", frame: end([tides]) })[1]?.citations).toEqual([tides]);
    expect(chatReducer(start([tides]), { type: "frame", clientMessageId: "k1", frame: end() })[1]?.citations).toEqual([tides]);
  });

  it("keeps whether a stored answer was interrupted by a hang-up", () => {
    type Message = Parameters<typeof fromMessage>[0];
    const base = { id: "m", role: "assistant", content: "Tides follow", citations: [], createdAt: "2030-01-01T00:00:00Z" };
    expect(fromMessage({ ...base, interrupted: true } as unknown as Message).interrupted).toBe(true);
    expect(fromMessage({ ...base, interrupted: false } as unknown as Message).interrupted).toBe(false);
    // An answer stored before the field existed.
    expect(fromMessage(base as unknown as Message).interrupted).toBe(false);
  });

  it("gives citations stored without quotes an empty list", () => {
    const { quotes: _, passages: __, ...old } = tides;
    const item = fromMessage({
      id: "m",
      role: "assistant",
      content: "Moon [1]",
      citations: [old as Citation],
      createdAt: "2030-01-01T00:00:00Z",
    } as Parameters<typeof fromMessage>[0]);
    expect(item.citations).toEqual([{ ...old, quotes: [] }]);
  });
});
