// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/http";

const calls = { everywhere: 0, toasts: [] as string[] };
let failure: Error | null = null;

vi.mock("../../components/ui/Toast", () => ({ useToast: () => (t: { title: string }) => calls.toasts.push(t.title) }));
vi.mock("../auth/AuthProvider", () => ({
  useAuth: () => ({
    signOutEverywhere: async () => {
      calls.everywhere++;
      if (failure) throw failure;
    },
  }),
}));

const { SignOutEverywhereSection } = await import("./SignOutEverywhereSection");

function renderSection() {
  return render(
    <MemoryRouter initialEntries={["/profile"]}>
      <Routes>
        <Route path="/profile" element={<SignOutEverywhereSection />} />
        <Route path="/" element={<p>Home page</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

beforeEach(() => {
  calls.everywhere = 0;
  calls.toasts = [];
  failure = null;
});
afterEach(cleanup);

describe("Sign out everywhere", () => {
  it("explains what it does", () => {
    renderSection();
    expect(screen.getByRole("heading", { name: "Sign out everywhere" })).toBeTruthy();
    expect(screen.getByText(/every device and browser, this one included/)).toBeTruthy();
  });

  it("ends every sign-in, then leaves the signed-in page", async () => {
    renderSection();

    fireEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));

    await waitFor(() => expect(screen.getByText("Home page")).toBeTruthy());
    expect(calls.everywhere).toBe(1);
    expect(calls.toasts).toEqual(["Signed out everywhere"]);
  });

  it("shows why it failed and stays signed in", async () => {
    failure = new ApiError({ status: 503, title: "Service unavailable", detail: "The service is busy; try again.", errors: {} });
    renderSection();

    fireEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));

    await waitFor(() => expect(screen.getByText("The service is busy; try again.")).toBeTruthy());
    expect(screen.queryByText("Home page")).toBeNull();
    expect(calls.toasts).toEqual([]);
    expect((screen.getByRole("button", { name: "Sign out everywhere" }) as HTMLButtonElement).disabled).toBe(false);
  });
});
