import { describe, expect, it } from "vitest";
import { highlightQuery, queryTerms, splitHighlights } from "./highlight";

describe("queryTerms", () => {
  it("keeps words of two or more letters, without repeats, longest first", () => {
    expect(queryTerms("a light, Light and energy? x")).toEqual(["energy", "light", "and"]);
  });

  it("treats punctuation and regex characters as separators", () => {
    expect(queryTerms("(c++) .* [chloro]plasts")).toEqual(["chloro", "plasts"]);
  });

  it("keeps letters beyond ASCII", () => {
    expect(queryTerms("Schrödinger Öl")).toEqual(["Schrödinger", "Öl"]);
  });

  it("gives nothing for an empty query", () => {
    expect(queryTerms("  ")).toEqual([]);
  });
});

describe("splitHighlights", () => {
  it("marks case-insensitive matches and keeps the original casing", () => {
    expect(highlightQuery("Photosynthesis converts LIGHT into energy.", "light photosynthesis")).toEqual([
      { text: "Photosynthesis", match: true },
      { text: " converts ", match: false },
      { text: "LIGHT", match: true },
      { text: " into energy.", match: false },
    ]);
  });

  it("joins back to the original text", () => {
    const text = "light, lighter, delight; LIGHT";
    const pieces = highlightQuery(text, "light");
    expect(pieces.map((p) => p.text).join("")).toBe(text);
    expect(pieces.filter((p) => p.match)).toHaveLength(4);
  });

  it("prefers the longer term where two overlap", () => {
    expect(splitHighlights("chloroplasts", ["chloro", "chloroplasts"].sort((a, b) => b.length - a.length))).toEqual([
      { text: "chloroplasts", match: true },
    ]);
  });

  it("leaves markup as plain text pieces", () => {
    const pieces = highlightQuery("<script>alert('x')</script> text", "script");
    expect(pieces).toEqual([
      { text: "<", match: false },
      { text: "script", match: true },
      { text: ">alert('x')</", match: false },
      { text: "script", match: true },
      { text: "> text", match: false },
    ]);
  });

  it("returns the whole text unmarked without terms, and nothing for no text", () => {
    expect(splitHighlights("abc", [])).toEqual([{ text: "abc", match: false }]);
    expect(splitHighlights("", ["abc"])).toEqual([]);
  });
});
