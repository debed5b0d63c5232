// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import type { Pricing } from "../../api/contract";
import { BalanceCover, LowBalanceNote, OutOfCredit } from "./BillingNotes";

afterEach(cleanup);

const perMinute = { perMinute: 10, perMessage: null, currency: "USD", freeMessages: 5 } as Pricing;

describe("billing notes", () => {
  it("shows what the balance covers before a session starts, with a way to top up", () => {
    render(
      <MemoryRouter>
        <BalanceCover wallet={{ balance: 380, currency: "USD", lowBalance: false }} pricing={perMinute} />
      </MemoryRouter>,
    );
    expect(screen.getByTestId("balance-cover").textContent).toContain("covers about 38 minutes");
    expect(screen.getByRole("link", { name: "Top up" }).getAttribute("href")).toBe("/wallet");
  });

  it("shows nothing while the wallet is unknown", () => {
    const { container } = render(
      <MemoryRouter>
        <BalanceCover wallet={undefined} pricing={perMinute} />
        <LowBalanceNote wallet={undefined} />
      </MemoryRouter>,
    );
    expect(container.textContent).toBe("");
  });

  it("notes a low balance in the chat, and only a low one", () => {
    const { rerender } = render(
      <MemoryRouter>
        <LowBalanceNote wallet={{ balance: 120, currency: "USD", lowBalance: true }} />
      </MemoryRouter>,
    );
    expect(screen.getByRole("status").textContent).toContain("$1.20 left");
    rerender(
      <MemoryRouter>
        <LowBalanceNote wallet={{ balance: 12000, currency: "USD", lowBalance: false }} />
      </MemoryRouter>,
    );
    expect(screen.queryByTestId("low-balance")).toBeNull();
  });

  it("shows out of credit with a top-up button to the wallet", () => {
    render(
      <MemoryRouter>
        <OutOfCredit />
      </MemoryRouter>,
    );
    expect(screen.getByText("You're out of credit")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Top up" }).getAttribute("href")).toBe("/wallet");
  });
});
