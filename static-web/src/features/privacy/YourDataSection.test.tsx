// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Me } from "../../api/contract";
import { ApiError } from "../../api/http";
import type { DataExport } from "./api";
import { exportView } from "./exportStatus";

// The privacy API, the toast and the signed-in user, stood in for.
let exports: DataExport[] = [];
let deleteError: ApiError | null = null;
const calls = { requested: 0, deleted: [] as (string | null)[], loggedOut: 0, toasts: [] as string[] };
let authMode = "local";

vi.mock("./api", () => ({
  privacyApi: {
    exports: async () => ({ items: exports }),
    requestExport: async () => {
      calls.requested++;
      const e = exportOf("building");
      exports = [e];
      return e;
    },
    download: async () => ({ blob: new Blob(["zip"]), fileName: "x.zip" }),
    deleteAccount: async (password: string | null) => {
      calls.deleted.push(password);
      if (deleteError) throw deleteError;
    },
  },
}));
vi.mock("../../components/ui/Toast", () => ({ useToast: () => (t: { title: string }) => calls.toasts.push(t.title) }));
vi.mock("../auth/AuthProvider", () => ({
  useAuth: () => ({
    config: { authMode },
    logout: async () => {
      calls.loggedOut++;
    },
    signInWithMicrosoft: async () => undefined,
  }),
}));

const { YourDataSection } = await import("./YourDataSection");

function exportOf(status: string, extra: Partial<DataExport> = {}): DataExport {
  return {
    id: "e1", status, createdAt: "2026-12-06T08:00:00Z", readyAt: null, expiresAt: null, size: 0, sections: [],
    downloadUrl: status === "ready" ? "/api/me/exports/e1/download" : null, ...extra,
  } as DataExport;
}

const me = {
  id: "u1", email: "u1@example.com", displayName: "Uma", bio: "", expertise: [], timezone: "UTC", roles: ["user"], isCreator: false, isAdmin: false,
  emailVerified: true, avatarUrl: null, createdAt: "2026-12-01T10:00:00Z", style: null, termsVersion: "2026-12-06", termsAcceptedAt: "2026-12-06T07:00:00Z",
} as Me;

function renderSection() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/profile"]}>
        <Routes>
          <Route path="/profile" element={<YourDataSection me={me} />} />
          <Route path="/" element={<p>Home page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  exports = [];
  deleteError = null;
  authMode = "local";
  calls.requested = 0;
  calls.deleted = [];
  calls.loggedOut = 0;
  calls.toasts = [];
});
afterEach(cleanup);

describe("exportView", () => {
  const date = (iso: string) => iso.slice(0, 10);
  it("says what the newest export is and offers a download only when it is ready", () => {
    expect(exportView(undefined, date)).toEqual({ text: "You have not exported your data yet.", downloadable: false, building: false });
    expect(exportView(exportOf("building"), date).building).toBe(true);
    const ready = exportView(exportOf("ready", { expiresAt: "2026-12-08T08:00:00Z" }), date);
    expect(ready.downloadable).toBe(true);
    expect(ready.text).toContain("2026-12-08");
    expect(exportView(exportOf("expired"), date).downloadable).toBe(false);
    expect(exportView(exportOf("failed"), date).text).toContain("could not be built");
  });
});

describe("YourDataSection", () => {
  it("shows the terms the user accepted, and asks for an export", async () => {
    renderSection();
    expect(screen.getByText(/You accepted the terms of 2026-12-06 on/)).toBeTruthy();
    expect(await screen.findByText("You have not exported your data yet.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Export my data" }));
    await waitFor(() => expect(calls.requested).toBe(1));
    expect(await screen.findByText(/being built/)).toBeTruthy();
  });

  it("offers the download of a ready export", async () => {
    exports = [exportOf("ready", { expiresAt: "2026-12-08T08:00:00Z" })];
    renderSection();
    expect(await screen.findByRole("button", { name: /Download the export/ })).toBeTruthy();
  });

  it("deletes the account with the password, says what goes and what stays, then signs out to the home page", async () => {
    renderSection();
    fireEvent.click(screen.getByRole("button", { name: /Delete my account/ }));
    expect(await screen.findByText(/Kept without your name/)).toBeTruthy();
    expect(screen.getByText(/Deleted for good/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Your password"), { target: { value: "my password" } });
    fireEvent.click(screen.getAllByRole("button", { name: "Delete my account" }).at(-1)!);
    expect(await screen.findByText("Home page")).toBeTruthy();
    expect(calls.deleted).toEqual(["my password"]);
    expect(calls.loggedOut).toBe(1);
    expect(calls.toasts).toContain("Your account was deleted");
  });

  it("shows a wrong password beside the field and stays", async () => {
    deleteError = new ApiError({ status: 400, title: "Validation failed", detail: "Fix the fields.", errors: { password: ["That password is not right."] } });
    renderSection();
    fireEvent.click(screen.getByRole("button", { name: /Delete my account/ }));
    fireEvent.change(await screen.findByLabelText("Your password"), { target: { value: "wrong" } });
    fireEvent.click(screen.getAllByRole("button", { name: "Delete my account" }).at(-1)!);
    expect(await screen.findByText("That password is not right.")).toBeTruthy();
    expect(calls.loggedOut).toBe(0);
  });

  it("in Entra mode sends no password and offers to sign in again when the sign-in is too old", async () => {
    authMode = "entra";
    deleteError = new ApiError({ status: 403, title: "Sign in again", detail: "To delete your account, sign in again first.", errors: {} });
    renderSection();
    fireEvent.click(screen.getByRole("button", { name: /Delete my account/ }));
    expect(screen.queryByLabelText("Your password")).toBeNull();
    fireEvent.click(screen.getAllByRole("button", { name: "Delete my account" }).at(-1)!);
    expect(await screen.findByRole("button", { name: "Sign in again" })).toBeTruthy();
    expect(calls.deleted).toEqual([null]);
  });
});
