// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/http";

// The API (through ./queries) and MSAL (through ./entra), stood in for; the order of what happened is recorded.
const order: string[] = [];
let mode = "entra";
let endFailure: Error | null = null;

vi.mock("./queries", () => ({
  authKeys: { config: ["config"], me: ["me"] },
  fetchConfig: async () => ({ authMode: mode, version: "", features: {}, entra: { clientId: "c", authority: "a", scopes: ["s"] } }),
  fetchMe: async () => ({ id: "u1", displayName: "Uma", roles: ["user"] }),
  logIn: async () => undefined,
  logOut: async () => {
    order.push("logout");
  },
  endAllSessions: async () => {
    order.push("sign-out-everywhere");
    if (endFailure) throw endFailure;
  },
}));
vi.mock("./entra", () => ({
  startEntraOnce: async () => ({
    session: { signedIn: true, signOut: async () => void order.push("logoutRedirect") },
    error: null,
  }),
}));

const { AuthProvider, useAuth } = await import("./AuthProvider");

let auth: ReturnType<typeof useAuth> | null = null;
function Probe() {
  auth = useAuth();
  return <p>{auth.status}</p>;
}

async function signedIn() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider>
        <Probe />
      </AuthProvider>
    </QueryClientProvider>,
  );
  await waitFor(() => expect(screen.getByText("signedIn")).toBeTruthy());
  return auth!;
}

beforeEach(() => {
  order.length = 0;
  mode = "entra";
  endFailure = null;
  localStorage.setItem("cloneai.entraSignedIn", "1");
});
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe("signing out with Entra", () => {
  it("tells the API to refuse the tokens Entra issued before Microsoft's sign-out page", async () => {
    const { logout } = await signedIn();

    await logout();

    expect(order).toEqual(["sign-out-everywhere", "logoutRedirect"]);
  });

  it("still goes to Microsoft's sign-out page when the API cannot be reached", async () => {
    endFailure = new Error("offline");
    const { logout } = await signedIn();

    await logout();

    expect(order).toEqual(["sign-out-everywhere", "logoutRedirect"]);
  });

  it("signing out everywhere stays signed in when the API refused", async () => {
    endFailure = new ApiError({ status: 503, title: "Busy", detail: "Try again.", errors: {} });
    const { signOutEverywhere } = await signedIn();

    await expect(signOutEverywhere()).rejects.toBe(endFailure);

    expect(order).toEqual(["sign-out-everywhere"]);
  });
});
