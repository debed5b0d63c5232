import { describe, expect, it } from "vitest";
import type { AdminReport } from "./api";
import { groupByClone, isWebLink, parseLinks, reportBody, reportErrors, verificationErrors } from "./moderation";

const report = (id: string, cloneId: string | null): AdminReport =>
  ({
    id,
    reason: "spam",
    details: "",
    status: "open",
    createdAt: "2026-12-06T08:00:00Z",
    reporterId: "u",
    reportedClone: cloneId
      ? { id: cloneId, slug: cloneId, name: cloneId, ownerId: "o", ownerName: "O", status: "published", openReports: 1, distinctReporters: 1 }
      : null,
  }) as unknown as AdminReport;

describe("report form", () => {
  it("needs a reason, and words for 'other'", () => {
    expect(reportErrors("", "")).toHaveProperty("reason");
    expect(reportErrors("other", "   ")).toHaveProperty("details");
    expect(reportErrors("spam", "")).toEqual({});
    expect(reportErrors("spam", "x".repeat(2001))).toHaveProperty("details");
  });

  it("sends trimmed details and the answer's ids only when reporting an answer", () => {
    expect(reportBody("spam", "  ")).toEqual({ reason: "spam" });
    expect(reportBody("harmful", " bad ", { sessionId: "s", messageId: "m" })).toEqual({ reason: "harmful", details: "bad", sessionId: "s", messageId: "m" });
  });
});

describe("report queue", () => {
  it("groups reports by clone in order of their first report, keeping reports of gone clones apart", () => {
    const groups = groupByClone([report("1", "a"), report("2", "b"), report("3", "a"), report("4", null)]);
    expect(groups.map((g) => [g.cloneId, g.reports.map((r) => r.id)])).toEqual([
      ["a", ["1", "3"]],
      ["b", ["2"]],
      ["missing:4", ["4"]],
    ]);
  });
});

describe("verification request", () => {
  it("reads one link a line and checks them as the server does", () => {
    expect(parseLinks(" https://a.example \n\nhttps://a.example\r\nhttp://b.example")).toEqual(["https://a.example", "http://b.example"]);
    expect(verificationErrors([], "x".repeat(30))).toHaveProperty("links");
    expect(verificationErrors(["javascript:alert(1)"], "x".repeat(30))).toHaveProperty("links");
    expect(verificationErrors(["https://a.example"], "too short")).toHaveProperty("statement");
    expect(verificationErrors(["https://a.example"], "A statement long enough to send.")).toEqual({});
  });

  it("renders only web links as links", () => {
    expect(isWebLink("https://a.example/x")).toBe(true);
    expect(isWebLink("javascript:alert(1)")).toBe(false);
    expect(isWebLink("not a url")).toBe(false);
  });
});
