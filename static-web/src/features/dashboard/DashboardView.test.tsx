// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DashboardView } from "./DashboardView";
import { fakeDashboard } from "./fakeDashboard";

afterEach(cleanup);

function show(allClones = false, dashboard = fakeDashboard()) {
  const onDaysChange = vi.fn();
  render(
    <MemoryRouter>
      <DashboardView
        dashboard={dashboard}
        days={30}
        onDaysChange={onDaysChange}
        allClones={allClones}
        knowledgeLink={(id) => `/studio/${id}/knowledge`}
      />
    </MemoryRouter>,
  );
  return { onDaysChange };
}

describe("DashboardView", () => {
  it("shows the period's totals in the platform currency", () => {
    show();
    expect(screen.getByText("Dec 4 – Dec 6 (UTC) · amounts in USD")).toBeTruthy();
    expect(screen.getByText("$12.50")).toBeTruthy(); // gross
    expect(screen.getByText("$10.00")).toBeTruthy(); // net, the creator's share
    expect(screen.getByText("4.5")).toBeTruthy();
    expect(screen.getByText("7 questions")).toBeTruthy();
    // The charts say what they show in words.
    expect(screen.getByText("Revenue by day: $12.50 gross, $10.00 net")).toBeTruthy();
  });

  it("changes the period with the picker", () => {
    const { onDaysChange } = show();
    const picker = screen.getByRole("group", { name: "Period" });
    expect(within(picker).getByRole("button", { name: "Last 30 days" }).getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(within(picker).getByRole("button", { name: "Last 7 days" }));
    expect(onDaysChange).toHaveBeenCalledWith(7);
  });

  it("lists the rating distribution and comments without who wrote them", () => {
    show();
    const distribution = screen.getByRole("list", { name: "Rating distribution" });
    expect(within(distribution).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "5stars:1",
      "4stars:1",
      "3stars:0",
      "2stars:0",
      "1star:0",
    ]);
    expect(screen.getByText("Clear about the Moon")).toBeTruthy();
    expect(screen.getByLabelText("5 of 5 stars")).toBeTruthy();
  });

  it("groups questions with counts and offers a document for each gap", () => {
    show();
    expect(screen.getByText("What causes the tides?")).toBeTruthy();
    expect(screen.getByText("e.g. “Why do we have tides?”")).toBeTruthy();
    const add = screen.getByRole("link", { name: /Add a document for “What is the capital of Peru\?”/ });
    expect(add.getAttribute("href")).toBe("/studio/c-1/knowledge");
  });

  it("flags the documents never cited", () => {
    show();
    expect(screen.getByText("4 citations")).toBeTruthy();
    const never = screen.getByText("Never cited");
    expect(never.closest("li")?.textContent).toContain("volcanoes.md");
  });

  it("breaks all clones down by clone, and says when there are no gaps", () => {
    const d = fakeDashboard();
    show(true, { ...d, questions: { ...d.questions, gaps: [] } });
    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual(["Tides", "Volcanoes"]);
    expect(within(rows[0]!).getByRole("link", { name: "Tides" }).getAttribute("href")).toBe("/studio/c-1/dashboard");
    expect(rows[1]!.textContent).toContain("$2.50");
    expect(screen.getByText("No gaps: every question found a good passage.")).toBeTruthy();
  });

  it("says when questions were grouped by wording only", () => {
    const d = fakeDashboard();
    show(false, { ...d, questions: { ...d.questions, groupedBy: "wording" } });
    expect(screen.getByText("Grouped by wording: the embedding model could not be reached.")).toBeTruthy();
  });
});
