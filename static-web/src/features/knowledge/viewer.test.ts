import { describe, expect, it } from "vitest";
import { CONTEXT_CHARS, initialStart } from "./DocumentViewer";

describe("initialStart", () => {
  it("starts at the beginning without a passage", () => {
    expect(initialStart()).toBe(0);
  });

  it("starts a few thousand characters before a passage, never before 0", () => {
    expect(initialStart({ start: 10_000 })).toBe(10_000 - CONTEXT_CHARS);
    expect(initialStart({ start: 100 })).toBe(0);
  });
});
