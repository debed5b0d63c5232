import { describe, expect, it } from "vitest";
import { formatMoney, formatPricing, headlinePrice, toMajorInput, toMinor } from "./money";
import { initials, splitList } from "./format";

describe("money", () => {
  it("turns typed major units into minor units", () => {
    expect(toMinor("0.50", "USD")).toBe(50);
    expect(toMinor("1", "USD")).toBe(100);
    expect(toMinor("1.5", "EUR")).toBe(150);
    expect(toMinor(".1", "USD")).toBe(10);
    expect(toMinor("0.295", "USD")).toBe(30);
    expect(toMinor("1,000", "USD")).toBe(100000);
    expect(toMinor("500", "JPY")).toBe(500);
    expect(toMinor("  ", "USD")).toBeNull();
    expect(toMinor("abc", "USD")).toBeNaN();
    expect(toMinor("-1", "USD")).toBeNaN();
  });

  it("shows minor units as major units", () => {
    expect(toMajorInput(50, "USD")).toBe("0.50");
    expect(toMajorInput(500, "JPY")).toBe("500");
    expect(toMajorInput(null, "USD")).toBe("");
    expect(formatMoney(1234, "USD")).toBe("$12.34");
    expect(formatMoney(1234, "GBP")).toBe("£12.34");
  });

  it("formats a clone's pricing", () => {
    expect(formatPricing({ perMinute: 50, perMessage: 10, currency: "USD", freeMessages: 3 })).toBe(
      "$0.50 / min · $0.10 / message · 3 free messages",
    );
    expect(formatPricing({ perMinute: null, perMessage: 25, currency: "USD", freeMessages: 1 })).toBe(
      "$0.25 / message · 1 free message",
    );
    expect(formatPricing({ perMinute: null, perMessage: null, currency: "USD", freeMessages: 0 })).toBe("Price not set");
    expect(headlinePrice({ perMinute: null, perMessage: 25, currency: "USD", freeMessages: 0 })).toBe("$0.25 / message");
  });
});

describe("format", () => {
  it("splits comma and line separated lists without duplicates", () => {
    expect(splitList("a, b ,, c\nd, A")).toEqual(["a", "b", "c", "d"]);
    expect(splitList("")).toEqual([]);
  });

  it("makes initials from letters only", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("maya")).toBe("MA");
    expect(initials("<script>")).toBe("SC");
    expect(initials("!!!")).toBe("?");
  });
});
