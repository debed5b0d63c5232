// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionRecap as Recap, SessionRecapPending } from "../../api/contract";

type Answer = { pending: SessionRecapPending; summary: null } | { pending: null; summary: Recap };
const summary = vi.fn<(id: string) => Promise<Answer>>();
vi.mock("../../api/client", () => ({ api: { sessions: { summary: (id: string) => summary(id) } } }));

const { SessionRecap, recapLabel } = await import("./SessionRecap");

const recap: Recap = {
  sessionId: "s1",
  cloneId: "c1",
  cloneName: "Coach",
  summary: "The long run is the heart of marathon training.",
  keyInsights: ["Tapering keeps the legs fresh."],
  actionItems: ["Rest a day after every long run."],
  nextTopics: ["Race day nutrition"],
  citations: [],
  method: "extractive",
  sessionEndedAt: "2026-12-06T04:00:00Z",
  createdAt: "2026-12-06T04:00:02Z",
};

function renderRecap(ended = true) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <SessionRecap sessionId="s1" ended={ended} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  summary.mockReset();
});

describe("SessionRecap", () => {
  it("says the summary is being written, then shows it once written", async () => {
    summary
      .mockResolvedValueOnce({ pending: { sessionId: "s1", status: "writing", detail: "Being written.", retryAfterSeconds: 1 }, summary: null })
      .mockResolvedValue({ pending: null, summary: recap });
    renderRecap();

    expect(await screen.findByTestId("session-recap-pending")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("session-recap-label").textContent).toBe("Extractive summary"), { timeout: 3000 });
    expect(screen.getByTestId("session-recap-text").textContent).toContain("heart of marathon training");
    expect(screen.getByTestId("session-recap-actions").textContent).toContain("Rest a day after every long run.");
    expect(screen.getByTestId("session-recap-topics").textContent).toContain("Race day nutrition");
    expect(summary).toHaveBeenCalledTimes(2);
  });

  it("is not asked for while the session runs", () => {
    renderRecap(false);
    expect(summary).not.toHaveBeenCalled();
    expect(screen.queryByTestId("session-recap")).toBeNull();
  });

  it("shows nothing for a session that gets no summary", async () => {
    summary.mockRejectedValue(Object.assign(new Error("No summary"), { status: 404 }));
    renderRecap();
    await waitFor(() => expect(summary).toHaveBeenCalled());
    expect(screen.queryByTestId("session-recap")).toBeNull();
    expect(screen.queryByTestId("session-recap-pending")).toBeNull();
  });

  it("labels a model's summary apart from the extractive one", () => {
    expect(recapLabel("model")).toBe("Session summary");
    expect(recapLabel("extractive")).toBe("Extractive summary");
  });
});
