// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/http";
import type { TopUp, Wallet, WalletTransaction } from "./api";

// The wallet's API and the signed-in state, stood in for.
const calls: { createTopUp: [number, string][]; testPay: [string, string][] } = { createTopUp: [], testPay: [] };
let wallet: Wallet = { balance: 0, currency: "USD", lowBalance: true };
let transactions: WalletTransaction[] = [];
let topUps: Record<string, TopUp> = {};
let payOutcome: (topUpId: string, card: string) => Promise<TopUp> = async () => {
  throw new Error("not set");
};
let authStatus = "signedIn";

function topUp(id: string, extra: Partial<TopUp> = {}): TopUp {
  return {
    id, status: "pending", checkoutUrl: `http://127.0.0.1:7071/checkout/${id}`, amount: 1000, currency: "USD", provider: "test",
    createdAt: "2026-12-06T02:00:00Z", completedAt: null, failureReason: null, ...extra,
  };
}

vi.mock("./api", () => ({
  walletApi: {
    get: async () => wallet,
    transactions: async () => ({ items: transactions, continuationToken: null }),
    createTopUp: async (amount: number, key: string) => {
      calls.createTopUp.push([amount, key]);
      const id = `t${calls.createTopUp.length + 1}`;
      topUps[id] = topUp(id, { amount });
      return topUps[id];
    },
    getTopUp: async (id: string) => {
      const found = topUps[id];
      if (!found) throw new ApiError({ status: 404, title: "Not found", detail: "No such top-up.", errors: {} });
      return found;
    },
    testPay: async (id: string, card: string) => {
      calls.testPay.push([id, card]);
      return payOutcome(id, card);
    },
  },
}));
vi.mock("../auth/AuthProvider", () => ({ useAuth: () => ({ status: authStatus }) }));

const { BalanceChip } = await import("./BalanceChip");
const { WalletPage } = await import("./WalletPage");
const { CheckoutPage } = await import("./CheckoutPage");
const { groupCardNumber, parseCustomAmount } = await import("./amounts");

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname}</p>;
}

function renderAt(path: string, routes: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>{routes}</Routes>
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const appRoutes = (
  <>
    <Route path="/wallet" element={<WalletPage />} />
    <Route path="/checkout/:id" element={<CheckoutPage />} />
  </>
);

beforeEach(() => {
  calls.createTopUp = [];
  calls.testPay = [];
  wallet = { balance: 0, currency: "USD", lowBalance: true };
  transactions = [];
  topUps = {};
  authStatus = "signedIn";
});
afterEach(cleanup);

describe("amounts", () => {
  it("reads a custom amount in minor units within the limits", () => {
    expect(parseCustomAmount("12.50", "USD")).toEqual({ amount: 1250 });
    expect(parseCustomAmount("", "USD")).toEqual({ error: "Enter an amount." });
    expect("error" in parseCustomAmount("0.99", "USD")).toBe(true);
    expect("error" in parseCustomAmount("1000.01", "USD")).toBe(true);
    expect("error" in parseCustomAmount("ten", "USD")).toBe(true);
  });

  it("groups card numbers in fours", () => {
    expect(groupCardNumber("4242424242424242")).toBe("4242 4242 4242 4242");
    expect(groupCardNumber("4000-0000 0000 0002")).toBe("4000 0000 0000 0002");
  });
});

describe("BalanceChip", () => {
  it("shows the signed-in user's balance and links to the wallet", async () => {
    wallet = { balance: 1234, currency: "USD", lowBalance: false };
    renderAt("/", <Route path="/" element={<BalanceChip />} />);
    const chip = await screen.findByRole("link", { name: "Wallet: $12.34" });
    expect(chip.getAttribute("href")).toBe("/wallet");
    expect(chip.textContent).toContain("$12.34");
  });

  it("says when the balance is low, and is not there for a signed-out visitor", async () => {
    renderAt("/", <Route path="/" element={<BalanceChip />} />);
    expect(await screen.findByRole("link", { name: "Wallet: $0.00, low balance" })).toBeTruthy();
    cleanup();
    authStatus = "signedOut";
    renderAt("/", <Route path="/" element={<BalanceChip />} />);
    expect(screen.queryByTestId("balance-chip")).toBeNull();
  });
});

describe("WalletPage", () => {
  it("shows the balance and the transactions, signed, with a link to the statements", async () => {
    wallet = { balance: 950, currency: "USD", lowBalance: false };
    transactions = [
      { id: "x2", type: "session-charge", amount: -50, currency: "USD", createdAt: "2026-12-06T02:10:00Z", description: "Session with Ada: 1 minute", sessionId: "s1", topUpId: null },
      { id: "x1", type: "top-up", amount: 1000, currency: "USD", createdAt: "2026-12-06T02:00:00Z", description: "Top-up", sessionId: null, topUpId: "t1" },
    ];
    renderAt("/wallet", appRoutes);
    expect((await screen.findByTestId("wallet-balance")).textContent).toBe("$9.50");
    const rows = await screen.findAllByTestId("transaction-row");
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining("Session with Ada: 1 minute"), expect.stringContaining("Top-up")]);
    expect(rows[0]!.textContent).toContain("−$0.50");
    expect(rows[1]!.textContent).toContain("+$10.00");
    expect(screen.getByRole("link", { name: /Statements/ }).getAttribute("href")).toBe("/statements");
  });

  it("tops up a preset amount and goes to its checkout", async () => {
    renderAt("/wallet", appRoutes);
    fireEvent.click(await screen.findByRole("button", { name: "$25.00" }));
    fireEvent.click(screen.getByRole("button", { name: "Continue to checkout" }));
    await waitFor(() => expect(screen.getByTestId("where").textContent).toBe("/checkout/t2"));
    expect(calls.createTopUp).toHaveLength(1);
    expect(calls.createTopUp[0]![0]).toBe(2500);
    expect(await screen.findByTestId("checkout-amount")).toBeTruthy();
  });

  it("refuses a custom amount out of range without calling the API", async () => {
    renderAt("/wallet", appRoutes);
    fireEvent.change(await screen.findByLabelText("Custom amount"), { target: { value: "0.50" } });
    fireEvent.click(screen.getByRole("button", { name: "Continue to checkout" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Top up between $1.00 and $1,000.00.");
    expect(calls.createTopUp).toHaveLength(0);
  });
});

describe("CheckoutPage", () => {
  it("is clearly TEST MODE, shows the amount and explains both test cards", async () => {
    topUps.t1 = topUp("t1");
    renderAt("/checkout/t1", appRoutes);
    expect((await screen.findByTestId("checkout-amount")).textContent).toBe("$10.00");
    expect(screen.getByTestId("test-mode-banner").textContent).toMatch(/test mode/i);
    expect(screen.getByText(/4242 4242 4242 4242/).closest("p")?.textContent).toContain("4000 0000 0000 0002 is declined");
  });

  it("pays with the good card and goes back to the wallet", async () => {
    topUps.t1 = topUp("t1");
    payOutcome = async (id) => (topUps[id] = topUp(id, { status: "succeeded" }));
    renderAt("/checkout/t1", appRoutes);
    fireEvent.change(await screen.findByLabelText("Card number"), { target: { value: "4242424242424242" } });
    fireEvent.click(screen.getByRole("button", { name: "Pay $10.00" }));
    await waitFor(() => expect(screen.getByTestId("where").textContent).toBe("/wallet"));
    expect(calls.testPay).toEqual([["t1", "4242 4242 4242 4242"]]);
    expect((await screen.findByText(/was added to your wallet/)).textContent).toContain("$10.00");
  });

  it("says clearly when the card is declined, and trying again starts a new top-up of the same amount", async () => {
    topUps.t1 = topUp("t1", { amount: 500 });
    payOutcome = async (id) => {
      topUps[id] = topUp(id, { amount: 500, status: "failed", failureReason: "The card was declined." });
      throw new ApiError({ status: 402, title: "Card declined", detail: "The card was declined.", errors: {} });
    };
    renderAt("/checkout/t1", appRoutes);
    fireEvent.click(await screen.findByRole("button", { name: "4000 0000 0000 0002" }));
    fireEvent.click(screen.getByRole("button", { name: "Pay $5.00" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Your card was declined");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.getByTestId("where").textContent).toBe("/checkout/t2"));
    expect(calls.createTopUp.map(([amount]) => amount)).toEqual([500]);
    expect(await screen.findByRole("button", { name: "Pay $5.00" })).toBeTruthy();
  });

  it("shows the API's error on the card number", async () => {
    topUps.t1 = topUp("t1");
    payOutcome = async () => {
      throw new ApiError({ status: 400, title: "Validation failed", detail: "One or more fields are invalid.", errors: { cardNumber: ["Use a test card."] } });
    };
    renderAt("/checkout/t1", appRoutes);
    fireEvent.change(await screen.findByLabelText("Card number"), { target: { value: "1234" } });
    fireEvent.click(screen.getByRole("button", { name: "Pay $10.00" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Use a test card.");
  });
});
