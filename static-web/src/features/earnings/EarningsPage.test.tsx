// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Earnings, Payout } from "./api";

// The page's data through stand-ins for the hooks (queries.ts), so the test sees what the page does with it.
const mutate = vi.fn();
const decide = vi.fn();
let earnings: Earnings;
let payouts: Payout[] = [];
let decideError: unknown = null;

const paged = <T,>(items: T[]) => ({ items, token: null, loading: false, loadingMore: false, error: null, loadMore: async () => {}, reload: () => {} });

vi.mock("./queries", () => ({
  useEarnings: () => ({ isPending: false, isError: false, data: earnings, refetch: vi.fn() }),
  useEarningsTransactions: () =>
    paged([
      { id: "t2", type: "payout", amount: -1_500, currency: "USD", createdAt: "2026-12-06T02:00:00Z", cloneId: null, cloneName: null, sessionId: null, payoutId: "p1" },
      { id: "t1", type: "session-charge", amount: 800, currency: "USD", createdAt: "2026-12-06T01:00:00Z", cloneId: "c1", cloneName: "Tides", sessionId: "s1", payoutId: null },
    ]),
  useMyPayouts: () => paged(payouts),
  useRequestPayout: () => ({ mutate, isPending: false, error: null }),
  useAdminPayouts: () => paged(payouts),
  useDecidePayout: () => ({ mutate: decide, isPending: false, error: decideError, reset: vi.fn() }),
}));
vi.mock("../auth/AuthProvider", () => ({
  useAuth: () => ({ me: { id: "u1", isCreator: true, isAdmin: true, roles: ["user", "creator", "admin"] } }),
}));

const { EarningsPage } = await import("./EarningsPage");
const { AdminPayoutsPage } = await import("./AdminPayoutsPage");

const payout = (extra: Partial<Payout> = {}): Payout => ({
  id: "p1", creatorId: "u1", creatorName: "Ada <ada@cloneai.test>", amount: 1_500, currency: "USD", status: "requested", provider: null, reference: null,
  rejectionReason: null, lastError: null, createdAt: "2026-12-06T02:00:00Z", decidedAt: null, ...extra,
});

beforeEach(() => {
  mutate.mockReset();
  decide.mockReset();
  decideError = null;
  earnings = {
    currency: "USD", available: 2_500, pending: 1_500, paidOut: 3_000, minPayout: 1_000, payoutProvider: "manual",
    byClone: [{ cloneId: "c1", cloneName: "Tides", earned: 8_000, refunded: 1_000, net: 7_000 }],
  };
  payouts = [payout()];
});
afterEach(cleanup);

const renderAt = (ui: React.ReactNode) => render(<MemoryRouter>{ui}</MemoryRouter>);

describe("EarningsPage", () => {
  it("shows the totals, the minimum payout, earnings by clone, payouts and transactions", () => {
    renderAt(<EarningsPage />);

    expect(screen.getByTestId("available").textContent).toBe("$25.00");
    expect(screen.getByTestId("pending").textContent).toBe("$15.00");
    expect(screen.getByTestId("paid-out").textContent).toBe("$30.00");
    expect(screen.getByTestId("min-payout").textContent).toBe("$10.00");
    const row = screen.getByRole("row", { name: /Tides/ });
    expect(within(row).getByText("$70.00")).toBeTruthy();
    expect(within(screen.getByRole("list", { name: "Payouts" })).getByText("Pending")).toBeTruthy();
    const transactions = within(screen.getByRole("list", { name: "Transactions" }));
    expect(transactions.getByText("-$15.00")).toBeTruthy();
    expect(transactions.getByText("+$8.00")).toBeTruthy();
  });

  it("checks the amount before asking, then asks once per amount with a stable key", () => {
    renderAt(<EarningsPage />);
    const amount = screen.getByLabelText("Amount (USD)");
    const submit = screen.getByRole("button", { name: "Request payout" });

    fireEvent.change(amount, { target: { value: "5" } });
    fireEvent.click(submit);
    expect(screen.getByText("The smallest payout is $10.00.")).toBeTruthy();
    expect(mutate).not.toHaveBeenCalled();

    fireEvent.change(amount, { target: { value: "20" } });
    fireEvent.click(submit);
    fireEvent.click(submit);
    expect(mutate).toHaveBeenCalledTimes(2);
    const [first, second] = mutate.mock.calls.map((c) => c[0] as { amount: number; idempotencyKey: string });
    expect(first!.amount).toBe(2_000);
    expect(second!.idempotencyKey).toBe(first!.idempotencyKey);
  });

  it("turns the form off while less than the minimum is available", () => {
    earnings = { ...earnings, available: 999 };
    renderAt(<EarningsPage />);

    expect((screen.getByRole("button", { name: "Request payout" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("AdminPayoutsPage", () => {
  it("approves a requested payout with the reference typed", () => {
    renderAt(<AdminPayoutsPage />);
    expect(screen.getByText("Ada <ada@cloneai.test>")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Approve…" }));
    fireEvent.change(screen.getByLabelText("Payment reference"), { target: { value: " BANK-42 " } });
    fireEvent.click(screen.getByRole("button", { name: "Mark paid" }));

    expect(decide).toHaveBeenCalledWith({ payoutId: "p1", approve: true, reference: "BANK-42" });
  });

  it("rejects with a reason and shows the last failed attempt to pay", () => {
    payouts = [payout({ lastError: "Stripe refused the transfer: insufficient funds." })];
    renderAt(<AdminPayoutsPage />);
    expect(screen.getByText("Stripe refused the transfer: insufficient funds.")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Reject…" }));
    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "Details do not match" } });
    fireEvent.click(screen.getByRole("button", { name: "Reject payout" }));

    expect(decide).toHaveBeenCalledWith({ payoutId: "p1", approve: false, reason: "Details do not match" });
  });

  it("offers no decision on a decided payout", () => {
    payouts = [payout({ status: "paid", reference: "BANK-42" })];
    renderAt(<AdminPayoutsPage />);

    expect(screen.queryByRole("button", { name: "Approve…" })).toBeNull();
    expect(screen.getByText("Reference BANK-42")).toBeTruthy();
  });
});
