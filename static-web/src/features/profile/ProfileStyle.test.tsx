// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Me, ProfileUpdate } from "../../api/contract";
import { ApiError } from "../../api/http";

// The profile writes, the toast and the signed-in user, stood in for.
const updates: ProfileUpdate[] = [];
let reject: ApiError | null = null;
let me: Me;

vi.mock("./queries", () => ({
  useUpdateProfile: () => ({
    mutateAsync: async (u: ProfileUpdate) => {
      updates.push(u);
      if (reject) throw reject;
      return me;
    },
  }),
  useUploadProfilePhoto: () => ({ mutateAsync: async () => me }),
}));
vi.mock("../../components/ui/Toast", () => ({ useToast: () => () => undefined }));
// The access log reads its own data (AccessLogSection.test.tsx).
vi.mock("./AccessLogSection", () => ({ AccessLogSection: () => null }));
vi.mock("./SignOutEverywhereSection", () => ({ SignOutEverywhereSection: () => null }));
vi.mock("../auth/AuthProvider", () => ({ useAuth: () => ({ me, status: "signedIn" }) }));
// "Your data" has its own tests (privacy/YourDataSection.test.tsx).
vi.mock("../privacy/YourDataSection", () => ({ YourDataSection: () => null }));

const { ProfilePage } = await import("./ProfilePage");

beforeEach(() => {
  updates.length = 0;
  reject = null;
  me = {
    id: "u1", email: "u1@example.com", displayName: "Uma", bio: "", expertise: [], timezone: "UTC", roles: ["user"], isCreator: false,
    isAdmin: false, emailVerified: true, avatarUrl: null, createdAt: "2026-12-01T10:00:00Z", style: { length: "detailed", tone: null },
    termsVersion: null, termsAcceptedAt: null,
  } as Me;
});
afterEach(cleanup);

describe("ProfilePage communication style", () => {
  it("shows the stored style and saves the chosen one with the profile", async () => {
    render(<ProfilePage />);
    expect(screen.getByRole("radio", { name: "Detailed" })).toHaveProperty("checked", true);
    expect(screen.getAllByRole("radio", { name: "No preference" })[1]).toHaveProperty("checked", true);

    fireEvent.click(screen.getByRole("radio", { name: "Concise" }));
    fireEvent.click(screen.getByRole("radio", { name: "Formal" }));
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));

    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]!.style).toEqual({ length: "concise", tone: "formal" });
  });

  it("sends no preference as an empty part, and shows a part's error beside it", async () => {
    reject = new ApiError({ status: 400, title: "Validation failed", detail: "Fix the fields.", errors: { "style.tone": ["Use casual or formal."] } });
    render(<ProfilePage />);
    fireEvent.click(screen.getAllByRole("radio", { name: "No preference" })[0]!);
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));

    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]!.style).toEqual({});
    expect(await screen.findByText("Use casual or formal.")).toBeTruthy();
  });
});
