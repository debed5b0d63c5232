// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { InvoiceSummary } from "../../api/contract";

const list = vi.fn<() => Promise<{ items: InvoiceSummary[] }>>();
const pdf = vi.fn<(id: string) => Promise<{ blob: Blob; fileName: string }>>();
vi.mock("../../api/client", () => ({ api: { invoices: { list: () => list(), pdf: (id: string) => pdf(id) } } }));
const saved: [Blob, string][] = [];
vi.mock("../chat/download", () => ({ saveBlob: (blob: Blob, name: string) => saved.push([blob, name]) }));

const { StatementsPage } = await import("./StatementsPage");
const { periodLabel } = await import("./format");

const december: InvoiceSummary = {
  id: "2026-12",
  number: "ST-2026-12-ABC123",
  kind: "statement",
  periodStart: "2026-12-01T00:00:00+00:00",
  periodEnd: "2027-01-01T00:00:00+00:00",
  issuedAt: "2026-12-06T02:00:00+00:00",
  total: 220,
  currency: "USD",
  status: "open",
};
const november: InvoiceSummary = {
  ...december,
  id: "2026-11",
  number: "ST-2026-11-ABC123",
  periodStart: "2026-11-01T00:00:00Z",
  periodEnd: "2026-12-01T00:00:00Z",
  total: 1250,
  status: "closed",
};

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <StatementsPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  list.mockReset();
  pdf.mockReset();
  saved.length = 0;
});
afterEach(cleanup);

describe("StatementsPage", () => {
  it("lists each month with its status, number and what was spent, newest first", async () => {
    list.mockResolvedValue({ items: [december, november] });
    renderPage();

    const rows = await screen.findAllByTestId("statement-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole("heading").textContent).toBe("December 2026");
    expect(rows[0]!.textContent).toContain("Open");
    expect(rows[0]!.textContent).toContain("ST-2026-12-ABC123");
    expect(rows[0]!.textContent).toContain("$2.20");
    expect(within(rows[1]!).getByRole("heading").textContent).toBe("November 2026");
    expect(rows[1]!.textContent).toContain("Closed");
    expect(rows[1]!.textContent).toContain("$12.50");
    expect(within(rows[1]!).getByRole("link", { name: "View the statement for November 2026" }).getAttribute("href")).toBe("/statements/2026-11");
  });

  it("downloads a month's PDF through the API and saves it under the name the API gives", async () => {
    list.mockResolvedValue({ items: [december, november] });
    const blob = new Blob(["%PDF-1.7"], { type: "application/pdf" });
    pdf.mockResolvedValue({ blob, fileName: "cloneai-ST-2026-11-ABC123.pdf" });
    renderPage();

    fireEvent.click(await screen.findByRole("button", { name: "Download the PDF for November 2026" }));

    await waitFor(() => expect(saved).toHaveLength(1));
    expect(pdf).toHaveBeenCalledWith("2026-11");
    expect(saved[0]).toEqual([blob, "cloneai-ST-2026-11-ABC123.pdf"]);
  });

  it("says when the download fails", async () => {
    list.mockResolvedValue({ items: [december] });
    pdf.mockRejectedValue(new Error("The network is down."));
    renderPage();

    fireEvent.click(await screen.findByRole("button", { name: "Download the PDF for December 2026" }));

    expect(await screen.findByText("We couldn't download the PDF")).toBeTruthy();
    expect(saved).toHaveLength(0);
  });

  it("explains when there are no statements yet", async () => {
    list.mockResolvedValue({ items: [] });
    renderPage();

    expect(await screen.findByText("No statements yet")).toBeTruthy();
    expect(screen.queryAllByTestId("statement-row")).toHaveLength(0);
  });
});

describe("periodLabel", () => {
  it("names a calendar month in UTC, and spells out any other period", () => {
    expect(periodLabel(december)).toBe("December 2026");
    expect(periodLabel({ periodStart: "2026-11-15T00:00:00Z", periodEnd: "2026-12-15T00:00:00Z" })).toBe("15 Nov 2026 – 14 Dec 2026");
  });
});
