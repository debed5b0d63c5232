import { describe, expect, it } from "vitest";
import { currencyChoices } from "./cloneForm";

describe("currencyChoices", () => {
  it("offers only the platform currency once it is known", () => {
    expect(currencyChoices("USD", "USD")).toEqual(["USD"]);
  });

  it("keeps an older clone's other currency so the form can show it", () => {
    expect(currencyChoices("USD", "EUR")).toEqual(["USD", "EUR"]);
  });

  it("offers every currency until the platform currency is known", () => {
    expect(currencyChoices(undefined, "USD")).toContain("JPY");
    expect(currencyChoices(undefined, "USD").length).toBeGreaterThan(1);
  });
});
