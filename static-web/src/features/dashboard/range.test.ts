import { describe, expect, it } from "vitest";
import { lastDays, parseDays, shortDate } from "./range";

describe("dashboard periods", () => {
  it("are the last n UTC days, today included", () => {
    const now = new Date("2026-12-06T23:30:00-05:00"); // already Dec 7 in UTC
    expect(lastDays(7, now)).toEqual({ from: "2026-12-01", to: "2026-12-07" });
    expect(lastDays(30, new Date("2026-03-01T12:00:00Z"))).toEqual({ from: "2026-01-31", to: "2026-03-01" });
  });

  it("take only the offered lengths from the address", () => {
    expect(parseDays("7")).toBe(7);
    expect(parseDays("90")).toBe(90);
    expect(parseDays("365")).toBe(30);
    expect(parseDays(null)).toBe(30);
  });

  it("show a day as the API gives it, in UTC", () => {
    expect(shortDate("2026-12-06")).toBe("Dec 6");
    expect(shortDate("nonsense")).toBe("nonsense");
  });
});
