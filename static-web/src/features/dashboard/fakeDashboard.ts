// A dashboard as the API answers it, for the tests (never imported by the app).
import type { Dashboard } from "./api";

const usd = (amount: number) => ({ amount, currency: "USD" });

export function fakeDashboard(extra: Partial<Dashboard> = {}): Dashboard {
  return {
    from: "2026-12-04",
    to: "2026-12-06",
    currency: "USD",
    totals: { sessions: 3, messages: 7, minutes: 12.5, gross: usd(1250), net: usd(1000), averageRating: 4.5, ratingCount: 2 },
    clones: [
      { cloneId: "c-1", name: "Tides", slug: "tides", sessions: 2, messages: 5, minutes: 10, gross: usd(1000), net: usd(800), averageRating: 4.5, ratingCount: 2 },
      { cloneId: "c-2", name: "Volcanoes", slug: "volcanoes", sessions: 1, messages: 2, minutes: 2.5, gross: usd(250), net: usd(200), averageRating: null, ratingCount: 0 },
    ],
    days: [
      { date: "2026-12-04", sessions: 1, minutes: 4, gross: usd(400), net: usd(320) },
      { date: "2026-12-05", sessions: 0, minutes: 0, gross: usd(0), net: usd(0) },
      { date: "2026-12-06", sessions: 2, minutes: 8.5, gross: usd(850), net: usd(680) },
    ],
    ratings: [
      { stars: 1, count: 0 },
      { stars: 2, count: 0 },
      { stars: 3, count: 0 },
      { stars: 4, count: 1 },
      { stars: 5, count: 1 },
    ],
    recentComments: [{ cloneName: "Tides", stars: 5, comment: "Clear about the Moon", date: "2026-12-06T10:00:00Z" }],
    questions: {
      analysed: 7,
      truncated: false,
      groupedBy: "meaning",
      top: [
        { question: "What causes the tides?", example: "Why do we have tides?", count: 4, wordings: 2, lastAsked: "2026-12-06T10:00:00Z", cloneIds: ["c-1"] },
        { question: "What is the capital of Peru?", example: "What is the capital of Peru?", count: 1, wordings: 1, lastAsked: "2026-12-06T10:05:00Z", cloneIds: ["c-1"] },
      ],
      gaps: [
        { question: "What is the capital of Peru?", example: "What is the capital of Peru?", count: 1, wordings: 1, lastAsked: "2026-12-06T10:05:00Z", cloneIds: ["c-1"] },
      ],
    },
    documents: [
      { cloneId: "c-1", documentId: "d-1", title: "Tides", fileName: "tides.md", status: "ready", citations: 4 },
      { cloneId: "c-1", documentId: "d-2", title: "Volcanoes", fileName: "volcanoes.md", status: "ready", citations: 0 },
    ],
    ...extra,
  };
}
