import { describe, expect, it } from "vitest";
import { accessLabel, actionLabel, AUDIT_ACTIONS, checkReason, REASON_MAX, targetLabel } from "./labels";

describe("audit labels", () => {
  it("names the known actions in words", () => {
    expect(actionLabel("user.disabled")).toBe("Disabled the account");
    expect(actionLabel("clone.featured")).toBe("Featured the clone");
    expect(actionLabel("session.read")).toBe("Read a conversation");
  });

  it("offers every known action as a filter, with its label", () => {
    expect(AUDIT_ACTIONS).toContainEqual(["session.read", "Read a conversation"]);
    expect(AUDIT_ACTIONS.map(([value]) => value)).toContain("payout.paid");
  });

  it("reads an action it does not know as its own name", () => {
    expect(actionLabel("report.escalated")).toBe("Report escalated");
    expect(actionLabel("")).toBe("Unknown action");
  });

  it("shortens long target ids and keeps short ones", () => {
    expect(targetLabel("user", "0123456789abcdef0123")).toBe("user 01234567…");
    expect(targetLabel("payout", "p-1")).toBe("payout p-1");
  });

  it("tells the user what happened to their own data", () => {
    expect(accessLabel("session.read")).toBe("Read one of your conversations");
    expect(accessLabel("user.disabled")).toBe("Disabled your account");
    expect(accessLabel("clone.verified")).toBe("Verified the clone");
  });
});

describe("checkReason", () => {
  it("trims the reason", () => {
    expect(checkReason("  Spam reports  ")).toEqual({ reason: "Spam reports", error: null });
  });

  it("refuses an empty or blank reason", () => {
    expect(checkReason("   ").reason).toBeNull();
    expect(checkReason("").error).toMatch(/reason/);
  });

  it("refuses a reason over the API's limit", () => {
    expect(checkReason("x".repeat(REASON_MAX)).error).toBeNull();
    expect(checkReason("x".repeat(REASON_MAX + 1)).error).toMatch(/500/);
  });
});
