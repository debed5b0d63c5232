// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AdminReport } from "./api";

// The Reports tab with stand-ins for its hooks: which decisions it offers and what it sends for each.
const resolve = vi.fn();
let reports: AdminReport[] = [];
const paged = <T,>(items: T[]) => ({ items, token: null, loading: false, loadingMore: false, error: null, loadMore: async () => {}, reload: () => {} });

vi.mock("./queries", () => ({
  useAdminReports: () => paged(reports),
  useResolveReport: () => ({ mutate: resolve, reset: () => {}, isPending: false, error: null }),
}));
vi.mock("../auth/AuthProvider", () => ({ useAuth: () => ({ me: { id: "admin-1", isAdmin: true } }) }));
vi.mock("../admin/queries", () => ({ useReadSession: () => ({ mutateAsync: vi.fn(), isPending: false, error: null }) }));

const { AdminReportsPage } = await import("./AdminReportsPage");
const { AdminSessionPage } = await import("../admin/AdminSessionPage");

const report = (extra: Partial<AdminReport> = {}): AdminReport => ({
  id: "r1", reason: "impersonation", details: "", sessionId: null, messageId: null, answerExcerpt: null, status: "open",
  createdAt: "2026-12-06T08:00:00Z", reporterId: "u1", reporterName: "Uma", resolvedAt: null, resolution: null, resolutionReason: null,
  reportedClone: {
    id: "c1", slug: "tides", name: "Tides", ownerId: "o1", ownerName: "Olive", status: "published", hiddenAt: null, hiddenReason: null,
    openReports: 1, distinctReporters: 1,
  },
  ...extra,
});

const page = () =>
  render(
    <MemoryRouter initialEntries={["/admin/reports"]}>
      <Routes>
        <Route path="/admin/reports" element={<AdminReportsPage />} />
        <Route path="/admin/sessions/:id" element={<AdminSessionPage />} />
      </Routes>
    </MemoryRouter>,
  );

beforeEach(() => {
  resolve.mockReset();
  reports = [report()];
});
afterEach(cleanup);

describe("the Reports tab", () => {
  it("offers to hide a clone that is shown", () => {
    page();
    expect(screen.getByRole("button", { name: "Hide clone Tides" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Keep hidden/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Restore clone/ })).toBeNull();
  });

  it("lets an admin keep an automatically hidden clone hidden, which upholds its reports with the admin's reason", () => {
    reports = [report({ reportedClone: { ...report().reportedClone!, hiddenAt: "2026-12-06T08:01:00Z", hiddenReason: "Reported by 3 people" } })];
    page();
    expect(screen.getByRole("button", { name: "Restore clone Tides" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Hide clone Tides" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Keep hidden Tides" }));
    fireEvent.change(screen.getByRole("textbox", { name: "Reason" }), { target: { value: "Confirmed impersonation" } });
    fireEvent.click(screen.getByRole("button", { name: "Keep hidden" }));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve.mock.calls[0]![0]).toEqual({ reportId: "r1", action: "hide", reason: "Confirmed impersonation" });
  });

  it("links a reported answer to its conversation, with the report as the suggested reason, read only once the admin sends it", () => {
    reports = [report({ sessionId: "s9", messageId: "m9", answerExcerpt: "I am the real Dr. Tides." })];
    page();
    const link = screen.getByRole("link", { name: "Read the conversation (audit-logged)" });
    expect(link.getAttribute("href")).toBe("/admin/sessions/s9?reason=Reviewing%20a%20report%20about%20an%20answer%3A%20Impersonation");
    fireEvent.click(link);
    const reason = screen.getByRole("textbox", { name: "Reason" }) as HTMLTextAreaElement;
    expect(reason.value).toBe("Reviewing a report about an answer: Impersonation");
  });

  it("shows no conversation link for a report of the clone itself", () => {
    page();
    const item = screen.getByTestId("admin-report");
    expect(within(item).queryByRole("link", { name: /Read the conversation/ })).toBeNull();
  });
});
