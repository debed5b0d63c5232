// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccessLogEntry } from "../admin/api";

let entries: AccessLogEntry[] = [];
vi.mock("../admin/queries", () => ({ useMyAccessLog: () => ({ isPending: false, error: null, data: { items: entries } }) }));

const { AccessLogSection } = await import("./AccessLogSection");

afterEach(cleanup);

describe("Access to your data", () => {
  it("says so when no admin has accessed the user's data", () => {
    entries = [];
    render(<AccessLogSection />);
    expect(screen.getByRole("heading", { name: "Access to your data" })).toBeTruthy();
    expect(screen.getByText("No admin has accessed your data.")).toBeTruthy();
  });

  it("lists who read what, when and why", () => {
    entries = [
      { id: "a1", at: "2026-12-06T08:00:00Z", who: "CloneAI admin (Ada)", action: "session.read", targetType: "session", targetId: "s1", reason: "Report #12 about an answer" },
    ];
    render(<AccessLogSection />);
    const item = within(screen.getByRole("list", { name: "Access to your data" })).getByRole("listitem");
    expect(within(item).getByText("Read one of your conversations")).toBeTruthy();
    expect(item.textContent).toContain("CloneAI admin (Ada)");
    expect(item.textContent).toContain("Reason: Report #12 about an answer");
    expect(within(item).getByText(/2026|Dec/).tagName).toBe("TIME");
  });
});
