// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AdminClone, AdminUser } from "./api";

// The console's data through stand-ins for the hooks (queries.ts), so the tests see what the pages do with it.
const userAction = vi.fn();
const cloneAction = vi.fn();
let me: { id: string; isAdmin: boolean } | null = { id: "admin-1", isAdmin: true };
let users: AdminUser[] = [];
let clones: AdminClone[] = [];
const auditActions: string[] = [];

const paged = <T,>(items: T[]) => ({ items, token: null, loading: false, loadingMore: false, error: null, loadMore: async () => {}, reload: () => {} });

vi.mock("./queries", () => ({
  useAdminUsers: () => paged(users),
  useAdminClones: () => paged(clones),
  useAuditLog: (_pageSize: number, action = "") => {
    auditActions.push(action);
    return paged([]);
  },
  useUserAction: () => ({ mutateAsync: userAction }),
  useCloneAction: () => ({ mutateAsync: cloneAction }),
  useReadSession: () => ({ mutateAsync: vi.fn(), isPending: false, error: null }),
}));
vi.mock("../auth/AuthProvider", () => ({ useAuth: () => ({ me }) }));
vi.mock("../../components/ui/Toast", () => ({ useToast: () => () => {} }));

const { AdminLayout, ADMIN_TABS } = await import("./AdminLayout");
const { AdminUsersPage } = await import("./AdminUsersPage");
const { AdminClonesPage, cloneActions } = await import("./AdminClonesPage");

const user = (extra: Partial<AdminUser> = {}): AdminUser => ({
  id: "u1", email: "uma@example.com", displayName: "Uma", isAdmin: false, isCreator: false, emailVerified: true, disabledAt: null,
  disabledReason: null, verifiedAt: null, createdAt: "2026-12-01T00:00:00Z", ...extra,
});
const clone = (extra: Partial<AdminClone> = {}): AdminClone => ({
  id: "c1", slug: "tides", name: "Tides", status: "published", ownerId: "o1", ownerName: "Olive", featured: false, verifiedAt: null,
  ownerVerified: false, hiddenAt: null, hiddenReason: null, rating: 0, sessionCount: 0, createdAt: "2026-12-01T00:00:00Z",
  publishedAt: "2026-12-01T00:00:00Z", ...extra,
});

const shell = (path = "/admin/users") =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="admin" element={<AdminLayout />}>
          <Route path="users" element={<AdminUsersPage />} />
          <Route path="clones" element={<AdminClonesPage />} />
        </Route>
      </Routes>
    </MemoryRouter>,
  );

beforeEach(() => {
  me = { id: "admin-1", isAdmin: true };
  users = [user()];
  clones = [clone()];
  userAction.mockReset().mockResolvedValue(undefined);
  cloneAction.mockReset().mockResolvedValue(undefined);
});
afterEach(cleanup);

describe("the admin shell", () => {
  it("shows non-admins only that it is for admins", () => {
    me = { id: "u1", isAdmin: false };
    shell();
    expect(screen.getByRole("heading", { name: "Admins only" })).toBeTruthy();
    expect(screen.queryByRole("navigation", { name: "Admin sections" })).toBeNull();
    expect(screen.queryByText("uma@example.com")).toBeNull();
  });

  it("has a tab for each section, the current one marked", () => {
    shell("/admin/clones");
    const tabs = within(screen.getByRole("navigation", { name: "Admin sections" })).getAllByRole("link");
    expect(tabs.map((t) => t.textContent)).toEqual(["Users", "Clones", "Reports", "Verification", "Payouts", "Audit"]);
    expect(tabs.map((t) => t.getAttribute("href"))).toEqual(ADMIN_TABS.map((t) => t.to));
    expect(tabs[1]!.getAttribute("aria-current")).toBe("page");
  });
});

describe("users", () => {
  it("disables a user only with a reason, which it sends trimmed", async () => {
    shell();
    fireEvent.click(screen.getByRole("button", { name: "Disable" }));
    fireEvent.click(await screen.findByRole("button", { name: "Disable account" }));
    expect(await screen.findByText("Give a reason: it goes to the audit log.")).toBeTruthy();
    expect(userAction).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "  Spam in three reports " } });
    fireEvent.click(screen.getByRole("button", { name: "Disable account" }));
    await waitFor(() => expect(userAction).toHaveBeenCalledWith({ kind: "disable", userId: "u1", reason: "Spam in three reports" }));
  });

  it("offers enable for a disabled account and never lets an admin disable themselves", () => {
    users = [user({ disabledAt: "2026-12-05T00:00:00Z", disabledReason: "Spam" }), user({ id: "admin-1", email: "ada@example.com", displayName: "Ada", isAdmin: true })];
    shell();
    const [disabled, self] = within(screen.getByRole("list", { name: "Users" })).getAllByRole("listitem");
    expect(within(disabled!).getByRole("button", { name: "Enable" })).toBeTruthy();
    expect(within(disabled!).getByText("Reason: Spam")).toBeTruthy();
    expect((within(self!).getByRole("button", { name: "Disable" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("sets roles with a reason", async () => {
    shell();
    fireEvent.click(screen.getByRole("button", { name: "Roles" }));
    fireEvent.click(await screen.findByLabelText("Creator"));
    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "Runs a clinic" } });
    fireEvent.click(screen.getByRole("button", { name: "Save roles" }));
    await waitFor(() => expect(userAction).toHaveBeenCalledWith({ kind: "roles", userId: "u1", reason: "Runs a clinic", admin: false, creator: true }));
  });
});

describe("clones", () => {
  it("offers the actions that fit the clone's state", () => {
    expect(cloneActions({ status: "published", featured: false, verifiedAt: null })).toEqual(["feature", "verify", "unpublish"]);
    expect(cloneActions({ status: "published", featured: true, verifiedAt: "2026-12-01T00:00:00Z" })).toEqual(["unfeature", "unverify", "unpublish"]);
    expect(cloneActions({ status: "draft", featured: false, verifiedAt: null })).toEqual(["verify"]);
  });

  it("features a clone with a reason and shows its labels", async () => {
    clones = [clone(), clone({ id: "c2", slug: "star", name: "Star", featured: true, verifiedAt: "2026-12-02T00:00:00Z" })];
    shell("/admin/clones");
    const [plain, featured] = within(screen.getByRole("list", { name: "Clones" })).getAllByRole("listitem");
    expect(within(featured!).getByText("Featured")).toBeTruthy();
    expect(within(featured!).getByText(/^Verified/)).toBeTruthy();

    fireEvent.click(within(plain!).getByRole("button", { name: "Feature" }));
    fireEvent.change(await screen.findByLabelText("Reason"), { target: { value: "Great reviews" } });
    fireEvent.click(screen.getByRole("button", { name: "Feature" }));
    await waitFor(() => expect(cloneAction).toHaveBeenCalledWith({ id: "c1", action: "feature", reason: "Great reviews" }));
  });
});

describe("audit", () => {
  it("filters the log by action", async () => {
    const { AdminAuditPage } = await import("./AdminAuditPage");
    render(
      <MemoryRouter>
        <AdminAuditPage />
      </MemoryRouter>,
    );
    expect(screen.getByText("No admin actions yet.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Action"), { target: { value: "session.read" } });
    expect(auditActions.at(-1)).toBe("session.read");
    expect(screen.getByText("No entries of this action.")).toBeTruthy();
  });
});
