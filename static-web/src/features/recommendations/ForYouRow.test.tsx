// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Clone } from "../../api/contract";
import type { NextQuestion, Recommendation } from "./api";

// The data layer, stood in for: each test says what the API answered, and whether the component asked at all.
let recommendations: Recommendation[] | undefined;
let questions: NextQuestion[] | undefined;
const asked: { what: string; enabled: boolean | string | null }[] = [];
vi.mock("./queries", () => ({
  useRecommendations: (enabled: boolean) => {
    asked.push({ what: "recommendations", enabled });
    return { data: enabled && recommendations ? { items: recommendations, method: "blend" } : undefined };
  },
  useNextQuestions: (idOrSlug: string | null) => {
    asked.push({ what: "next-questions", enabled: idOrSlug });
    return { data: idOrSlug !== null && questions ? { cloneId: idOrSlug, items: questions } : undefined };
  },
}));

const { ForYouRow } = await import("./ForYouRow");
const { NextQuestionChips } = await import("./NextQuestionChips");

function clone(id: string, name: string): Clone {
  return {
    id, slug: id, name, tagline: "Tides and the moon", description: "", category: "science", tags: [], status: "published",
    ownerId: "maker", ownerName: "Maker", avatarUrl: null,
    persona: { greeting: "", tone: "friendly", answerLength: "medium", instructions: "", topicsToAvoid: [], dontKnowMessage: "" },
    pricing: { perMinute: null, perMessage: 10, currency: "USD", freeMessages: 0 },
    rating: 0, ratingCount: 0, sessionCount: 3, createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z", publishedAt: "2026-12-01T00:00:00Z",
    featured: false,
  } as Clone;
}

function row(signedIn: boolean) {
  render(
    <MemoryRouter>
      <ForYouRow signedIn={signedIn} categoryName={(id) => (id === "science" ? "Science & Research" : id)} />
    </MemoryRouter>,
  );
}

beforeEach(() => {
  recommendations = undefined;
  questions = undefined;
  asked.length = 0;
});
afterEach(cleanup);

describe("the For you row", () => {
  it("shows each recommended clone with its reason", () => {
    recommendations = [
      { clone: clone("moon", "Moon Guide"), reason: "Because you rated Tide Expert highly", reasonKind: "content", becauseOfCloneId: "tides", score: 0.9 },
      { clone: clone("sea", "Sea Captain"), reason: "Popular in Science & Research", reasonKind: "popularity", becauseOfCloneId: null, score: 0.2 },
    ];
    row(true);
    const section = screen.getByRole("region", { name: "For you" });
    expect(section).toBeTruthy();
    expect(screen.getAllByTestId("for-you-reason").map((r) => r.textContent)).toEqual([
      "Because you rated Tide Expert highly",
      "Popular in Science & Research",
    ]);
    expect(screen.getByRole("link", { name: "Moon Guide" }).getAttribute("href")).toBe("/clones/moon");
  });

  it("is not shown, nor asked for, when signed out", () => {
    recommendations = [{ clone: clone("moon", "Moon Guide"), reason: "r", reasonKind: "content", becauseOfCloneId: null, score: 1 }];
    row(false);
    expect(screen.queryByTestId("for-you")).toBeNull();
    expect(asked).toEqual([{ what: "recommendations", enabled: false }]);
  });

  it("is not shown when there is nothing to recommend or while loading", () => {
    recommendations = [];
    row(true);
    expect(screen.queryByTestId("for-you")).toBeNull();
    cleanup();
    recommendations = undefined;
    row(true);
    expect(screen.queryByTestId("for-you")).toBeNull();
  });
});

describe("the next question chips", () => {
  it("start a session with the chosen question", () => {
    questions = [
      { topic: "Spring tides", question: "Can you tell me more about spring tides?", sessionId: "s1" },
      { topic: "Tide tables", question: "Can you tell me more about tide tables?", sessionId: "s1" },
    ];
    const onAsk = vi.fn();
    render(<NextQuestionChips cloneId="tides" enabled onAsk={onAsk} />);
    fireEvent.click(screen.getByRole("button", { name: "Can you tell me more about tide tables?" }));
    expect(onAsk).toHaveBeenCalledWith("Can you tell me more about tide tables?");
  });

  it("are not asked for when signed out, and not shown when there are none", () => {
    questions = [{ topic: "t", question: "q?", sessionId: "s" }];
    render(<NextQuestionChips cloneId="tides" enabled={false} onAsk={() => {}} />);
    expect(screen.queryByTestId("next-questions")).toBeNull();
    expect(asked).toEqual([{ what: "next-questions", enabled: null }]);
    cleanup();
    questions = [];
    render(<NextQuestionChips cloneId="tides" enabled onAsk={() => {}} />);
    expect(screen.queryByTestId("next-questions")).toBeNull();
  });
});
